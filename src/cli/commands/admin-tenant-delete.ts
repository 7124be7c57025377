import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

export const adminTenantDelete = defineCommand<{ yes?: boolean }, 'name'>({
  path: ['admin', 'tenant', 'delete'],
  summary: 'Delete a tenant and everything it owns',
  args: [{ name: 'name', description: 'tenant name' }],
  options: [{ flags: '-y, --yes', description: 'confirm: this cannot be undone' }],
  examples: ['kupe admin tenant delete acme --yes'],
  async run({ args, opts, session, out }) {
    if (!opts.yes) throw usageError(`deleting tenant "${args.name}" destroys its clusters, secrets and keys; repeat with --yes`)
    await ok(session.adminApi().DELETE('/api/v1/admin/tenants/{name}', { params: { path: { name: args.name } } }))
    out.done(`Tenant "${args.name}" deleted.`)
    return Exit.Ok
  },
})
