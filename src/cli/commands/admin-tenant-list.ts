import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { tenantView } from '../views/tenant.js'

export const adminTenantList = defineCommand<PageOpts>({
  path: ['admin', 'tenant', 'list'],
  summary: 'List every tenant on the platform',
  options: pageOptions,
  examples: ['kupe admin tenant list', 'kupe admin tenant list -q'],
  async run({ opts, session, out }) {
    out.list(await body(session.adminApi().GET('/api/v1/admin/tenants', { params: { query: pageQuery(opts) } })), tenantView)
    return Exit.Ok
  },
})
