import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { hostClusterView } from '../views/host-cluster.js'

export const adminHostClusterList = defineCommand({
  path: ['admin', 'host-cluster', 'list'],
  summary: 'List host clusters with their last health check',
  examples: ['kupe admin host-cluster list', 'kupe admin host-cluster list -o json'],
  async run({ session, out }) {
    out.list({ items: await body(session.adminApi().GET('/v1/clusters')) }, hostClusterView)
    return Exit.Ok
  },
})
