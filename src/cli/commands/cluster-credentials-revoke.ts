import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

export const clusterCredentialsRevoke = defineCommand<Record<string, never>, 'cluster' | 'id'>({
  path: ['cluster', 'credentials', 'revoke'],
  summary: 'Revoke a cluster credential at once',
  args: [
    { name: 'cluster', description: 'cluster name' },
    { name: 'id', description: 'credential id (cc-…)' },
  ],
  examples: ['kupe cluster credentials revoke web cc-5e0a9b12'],
  async run({ args, session, out }) {
    const tenant = session.tenant()
    await ok(session.api().DELETE('/api/v1/tenants/{tenant}/clusters/{name}/credentials/{id}', { params: { path: { tenant, name: args.cluster, id: args.id } } }))
    out.done(`Credential ${args.id} of cluster "${args.cluster}" revoked.`)
    return Exit.Ok
  },
})
