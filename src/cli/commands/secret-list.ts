import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { secretView } from '../views/secret.js'

export const secretList = defineCommand<PageOpts>({
  path: ['secret', 'list'],
  summary: 'List managed secrets and their sync phase',
  options: pageOptions,
  examples: ['kupe secret list', 'kupe secret list -o yaml'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/secrets', { params: { path: { tenant }, query: pageQuery(opts) } })), secretView)
    return Exit.Ok
  },
})
