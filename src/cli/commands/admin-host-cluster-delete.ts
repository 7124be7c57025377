import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

export const adminHostClusterDelete = defineCommand<{ yes?: boolean }, 'id'>({
  path: ['admin', 'host-cluster', 'delete'],
  summary: 'Forget a host cluster (refused while tenants are placed on it)',
  args: [{ name: 'id', description: 'host cluster id' }],
  options: [{ flags: '-y, --yes', description: 'confirm' }],
  examples: ['kupe admin host-cluster delete 0a2c91c8-4422-4c4b-94fa-1ad2db2c6c63 --yes'],
  async run({ args, opts, session, out }) {
    if (!opts.yes) throw usageError(`deleting host cluster ${args.id} stops Kupe managing it; repeat with --yes`)
    await ok(session.adminApi().DELETE('/v1/clusters/{id}', { params: { path: { id: args.id } } }))
    out.done(`Host cluster ${args.id} deleted.`)
    return Exit.Ok
  },
})
