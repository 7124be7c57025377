import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { clusterView } from '../views/cluster.js'

export const clusterGet = defineCommand<Record<string, never>, 'name'>({
  path: ['cluster', 'get'],
  summary: 'Show a cluster: phase, Ready condition, version, resources, endpoint',
  args: [{ name: 'name', description: 'cluster name' }],
  examples: ['kupe cluster get web', 'kupe cluster get web -o yaml'],
  async run({ args, session, out }) {
    const tenant = session.tenant()
    out.object(await body(session.api().GET('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path: { tenant, name: args.name } } })), clusterView)
    return Exit.Ok
  },
})
