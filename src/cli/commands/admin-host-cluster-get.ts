import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { hostClusterView } from '../views/host-cluster.js'

export const adminHostClusterGet = defineCommand<Record<string, never>, 'id'>({
  path: ['admin', 'host-cluster', 'get'],
  summary: 'Show a host cluster, checked live: Ready, Kubernetes version, nodes',
  args: [{ name: 'id', description: 'host cluster id' }],
  examples: ['kupe admin host-cluster get 0a2c91c8-4422-4c4b-94fa-1ad2db2c6c63'],
  async run({ args, session, out }) {
    out.object(await body(session.adminApi().GET('/v1/clusters/{id}', { params: { path: { id: args.id } } })), hostClusterView)
    return Exit.Ok
  },
})
