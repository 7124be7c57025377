import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { tenantView } from '../views/tenant.js'

export const tenantGet = defineCommand({
  path: ['tenant', 'get'],
  summary: 'Show your tenant: plan, members, usage this period',
  examples: ['kupe tenant get', 'kupe tenant get -o yaml'],
  async run({ session, out }) {
    const tenant = session.tenant()
    out.object(await body(session.api().GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } })), tenantView)
    return Exit.Ok
  },
})
