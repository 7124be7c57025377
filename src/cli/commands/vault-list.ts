import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { vaultEntryView } from '../views/vault.js'

export const vaultList = defineCommand<PageOpts & { prefix?: string }>({
  path: ['vault', 'list'],
  summary: 'List vault paths with their latest version (no values)',
  options: [{ flags: '--prefix <prefix>', description: 'only paths starting with this, e.g. production/' }, ...pageOptions],
  examples: ['kupe vault list', 'kupe vault list --prefix production/'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    const query = { ...pageQuery(opts), ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}) }
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/vault', { params: { path: { tenant }, query } })), vaultEntryView)
    return Exit.Ok
  },
})
