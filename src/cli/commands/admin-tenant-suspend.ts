import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

export const adminTenantSuspend = defineCommand<Record<string, never>, 'name'>({
  path: ['admin', 'tenant', 'suspend'],
  summary: 'Make a tenant read-only (revocations still work)',
  args: [{ name: 'name', description: 'tenant name' }],
  examples: ['kupe admin tenant suspend acme'],
  async run({ args, session, out }) {
    const t = await body(session.adminApi().POST('/api/v1/admin/tenants/{name}/suspend', { params: { path: { name: args.name } } }))
    if (!out.structured(t)) out.done(`Tenant "${t.name}" is ${t.status.phase}.`)
    return Exit.Ok
  },
})
