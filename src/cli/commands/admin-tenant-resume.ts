import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

export const adminTenantResume = defineCommand<Record<string, never>, 'name'>({
  path: ['admin', 'tenant', 'resume'],
  summary: 'Give a suspended tenant its writes back',
  args: [{ name: 'name', description: 'tenant name' }],
  examples: ['kupe admin tenant resume acme'],
  async run({ args, session, out }) {
    const t = await body(session.adminApi().POST('/api/v1/admin/tenants/{name}/resume', { params: { path: { name: args.name } } }))
    if (!out.structured(t)) out.done(`Tenant "${t.name}" is ${t.status.phase}.`)
    return Exit.Ok
  },
})
