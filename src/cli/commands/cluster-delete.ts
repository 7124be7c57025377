import { ok } from '../api/call.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { formatElapsed } from '../framework/duration.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForCluster } from '../framework/wait-cluster.js'

export const clusterDelete = defineCommand<WaitOpts & IfMatchOpts, 'name'>({
  path: ['cluster', 'delete'],
  summary: 'Delete a cluster, its workloads and storage',
  description:
    'Delete a cluster: its control plane, workloads, storage and credentials are destroyed. The name can be reused once ' +
    'the cluster is gone; --wait waits for that.',
  args: [{ name: 'name', description: 'cluster name' }],
  options: [ifMatchOption, ...waitOptions],
  examples: ['kupe cluster delete web', 'kupe cluster delete web --wait --timeout 5m'],
  async run({ args, opts, session, out, io }) {
    const tenant = session.tenant()
    const api = session.api()
    await ok(api.DELETE('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path: { tenant, name: args.name } }, headers: ifMatchHeader(opts) }))
    if (!opts.wait) {
      out.done(`Cluster "${args.name}" is being deleted.`)
      return Exit.Ok
    }
    const { elapsedMs } = await waitForCluster({ api, io, tenant, name: args.name, target: 'deleted', timeoutMs: timeoutMs(opts) })
    out.done(`✓ Cluster "${args.name}" deleted after ${formatElapsed(elapsedMs)}.`)
    return Exit.Ok
  },
})
