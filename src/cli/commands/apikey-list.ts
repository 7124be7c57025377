import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { apiKeyView } from '../views/apikey.js'

export const apikeyList = defineCommand<PageOpts>({
  path: ['apikey', 'list'],
  summary: 'List API keys (never the raw keys)',
  options: pageOptions,
  examples: ['kupe apikey list', 'kupe apikey list -q'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/apikeys', { params: { path: { tenant }, query: pageQuery(opts) } })), apiKeyView)
    return Exit.Ok
  },
})
