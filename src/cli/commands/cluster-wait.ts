import { timeoutMs } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForCluster, type WaitTarget } from '../framework/wait-cluster.js'
import { clusterView } from '../views/cluster.js'

export const clusterWait = defineCommand<{ for: WaitTarget; timeout: string }, 'name'>({
  path: ['cluster', 'wait'],
  summary: 'Wait until a cluster is Running or deleted (exit 8 on timeout)',
  description:
    'Poll a cluster until it is Running with every change applied (--for running) or gone (--for deleted). ' +
    'On a terminal a live line shows the phase, elapsed time and the Ready message. Exits 8 when --timeout passes, ' +
    '1 when the cluster fails.',
  args: [{ name: 'name', description: 'cluster name' }],
  options: [
    { flags: '--for <state>', description: 'running or deleted', default: 'running', choices: ['running', 'deleted'] },
    { flags: '--timeout <duration>', description: 'give up after this long (exit 8), e.g. 90s, 10m', default: '10m' },
  ],
  examples: ['kupe cluster wait web', 'kupe cluster wait web --for deleted --timeout 5m'],
  async run({ args, opts, session, out, io }) {
    const tenant = session.tenant()
    const { cluster, elapsedMs } = await waitForCluster({ api: session.api(), io, tenant, name: args.name, target: opts.for, timeoutMs: timeoutMs(opts) })
    if (!cluster) {
      out.done(`✓ Cluster "${args.name}" is deleted (after ${formatElapsed(elapsedMs)}).`)
      return Exit.Ok
    }
    if (out.structured(cluster)) return Exit.Ok
    if (out.quiet) out.object(cluster, clusterView)
    else out.done(`✓ Cluster "${cluster.name}" is Running (Kubernetes ${cluster.status.kubernetesVersion ?? cluster.version}) after ${formatElapsed(elapsedMs)}.`)
    return Exit.Ok
  },
})
