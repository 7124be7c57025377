import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { tenantView } from '../views/tenant.js'

export const adminTenantGet = defineCommand<Record<string, never>, 'name'>({
  path: ['admin', 'tenant', 'get'],
  summary: 'Show any tenant',
  args: [{ name: 'name', description: 'tenant name' }],
  examples: ['kupe admin tenant get acme -o yaml'],
  async run({ args, session, out }) {
    out.object(await body(session.adminApi().GET('/api/v1/admin/tenants/{name}', { params: { path: { name: args.name } } })), tenantView)
    return Exit.Ok
  },
})
