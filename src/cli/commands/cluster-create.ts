import { body } from '../api/call.js'
import { alertsOf, alertsOptions, timeoutMs, waitOptions, type AlertsOpts, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForCluster } from '../framework/wait-cluster.js'
import { clusterView } from '../views/cluster.js'

interface Opts extends WaitOpts, AlertsOpts {
  displayName?: string
  type?: 'shared' | 'dedicated'
  version?: string
  cpu?: string
  memory?: string
  storage?: string
  ha?: boolean
}

export const clusterCreate = defineCommand<Opts, 'name'>({
  path: ['cluster', 'create'],
  summary: 'Create a cluster, optionally waiting until it is Running',
  args: [{ name: 'name', description: 'cluster name (DNS label, 2-63 characters)' }],
  options: [
    { flags: '--display-name <text>', description: 'display name (default: the name)' },
    { flags: '--type <type>', description: 'shared or dedicated (dedicated needs a plan that allows it)', choices: ['shared', 'dedicated'] },
    { flags: '--version <minor>', description: 'Kubernetes version, e.g. 1.32 (default: the newest supported)' },
    { flags: '--cpu <quantity>', description: 'CPU allocation, e.g. 2 or 500m (default: the server default)' },
    { flags: '--memory <quantity>', description: 'memory allocation, e.g. 4Gi' },
    { flags: '--storage <quantity>', description: 'storage allocation, e.g. 20Gi' },
    { flags: '--ha', description: 'highly available control plane (billed per hour; cannot be changed later)' },
    ...alertsOptions,
    ...waitOptions,
  ],
  examples: ['kupe cluster create web --wait', 'kupe cluster create db --version 1.32 --cpu 2 --memory 8Gi --storage 50Gi --wait --timeout 15m'],
  async run({ args, opts, session, out, io }) {
    const tenant = session.tenant()
    const limit = opts.wait ? timeoutMs(opts) : 0
    const resources = {
      ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}),
      ...(opts.memory !== undefined ? { memory: opts.memory } : {}),
      ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
    }
    const alerts = alertsOf(opts)
    const api = session.api()
    const created = await body(
      api.POST('/api/v1/tenants/{tenant}/clusters', {
        params: { path: { tenant } },
        body: {
          name: args.name,
          ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
          ...(opts.type !== undefined ? { type: opts.type } : {}),
          ...(opts.version !== undefined ? { version: opts.version } : {}),
          ...(Object.keys(resources).length ? { resources } : {}),
          ...(alerts ? { alerts } : {}),
          ...(opts.ha ? { highAvailability: true } : {}),
        },
      }),
    )
    for (const w of created.warnings) out.note(`warning: ${w.message} (${w.code})`)
    if (!opts.wait) {
      if (out.structured(created)) return Exit.Ok
      if (out.quiet) out.object(created, clusterView)
      else out.done(`Cluster "${created.name}" created (${created.status.phase}). Follow it with: kupe cluster wait ${created.name}`)
      return Exit.Ok
    }
    const { cluster, elapsedMs } = await waitForCluster({ api, io, tenant, name: created.name, target: 'running', timeoutMs: limit })
    if (!cluster || out.structured(cluster)) return Exit.Ok
    if (out.quiet) out.object(cluster, clusterView)
    else out.done(`✓ Cluster "${cluster.name}" is Running (Kubernetes ${cluster.status.kubernetesVersion ?? cluster.version}) after ${formatElapsed(elapsedMs)}.`)
    return Exit.Ok
  },
})
