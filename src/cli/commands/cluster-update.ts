import { body } from '../api/call.js'
import { alertsOf, alertsOptions, timeoutMs, waitOptions, type AlertsOpts, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForCluster } from '../framework/wait-cluster.js'
import { clusterView } from '../views/cluster.js'

interface Opts extends WaitOpts, AlertsOpts, IfMatchOpts {
  version?: string
  cpu?: string
  memory?: string
  storage?: string
  clearResources?: boolean
  clearAlerts?: boolean
  enableHa?: boolean
}

/** `default` clears one resource (back to the server's default allocation, spec §5.2). */
const amount = (v: string | undefined) => (v === undefined ? undefined : v === 'default' ? null : v)

export const clusterUpdate = defineCommand<Opts, 'name'>({
  path: ['cluster', 'update'],
  summary: 'Change the version, resources, alerts or high availability of a cluster',
  description:
    'Change a cluster; omitted settings stay as they are. A resource set to "default" goes back to the server default. ' +
    'Version changes go one minor version at a time. --enable-ha migrates the cluster to three control-plane replicas in place ' +
    '(phase Migrating; it keeps serving; HA cannot be turned off again). With --wait, waits until the change is applied.',
  args: [{ name: 'name', description: 'cluster name' }],
  options: [
    { flags: '--version <minor>', description: 'upgrade to the next minor version, e.g. 1.33' },
    { flags: '--cpu <quantity>', description: 'CPU allocation, or "default"' },
    { flags: '--memory <quantity>', description: 'memory allocation, or "default"' },
    { flags: '--storage <quantity>', description: 'storage allocation, or "default"' },
    { flags: '--clear-resources', description: 'every resource back to the default allocation' },
    ...alertsOptions,
    { flags: '--clear-alerts', description: 'remove the alert settings' },
    { flags: '--enable-ha', description: 'high availability: three control-plane replicas, started in place' },
    ifMatchOption,
    ...waitOptions,
  ],
  examples: ['kupe cluster update web --cpu 4 --memory 16Gi', 'kupe cluster update web --version 1.33 --wait', 'kupe cluster update web --enable-ha --wait', 'kupe cluster update web --memory default --if-match 12377'],
  async run({ args, opts, session, out, io }) {
    const tenant = session.tenant()
    const alerts = alertsOf(opts)
    if (alerts && opts.clearAlerts) throw usageError('pass --alerts or --clear-alerts, not both')
    const some = { cpu: amount(opts.cpu), memory: amount(opts.memory), storage: amount(opts.storage) }
    const resources = Object.fromEntries(Object.entries(some).filter(([, v]) => v !== undefined)) as { cpu?: string | null; memory?: string | null; storage?: string | null }
    if (opts.clearResources && Object.keys(resources).length) throw usageError('pass --clear-resources or single resources, not both')
    const patch = {
      ...(opts.version !== undefined ? { version: opts.version } : {}),
      ...(opts.clearResources ? { resources: {} } : Object.keys(resources).length ? { resources } : {}),
      ...(alerts ? { alerts } : opts.clearAlerts ? { alerts: null } : {}),
      ...(opts.enableHa ? { highAvailability: true } : {}),
    }
    if (Object.keys(patch).length === 0) throw usageError('nothing to change: pass --version, --cpu, --memory, --storage, --enable-ha or alert flags')
    const api = session.api()
    const updated = await body(
      api.PATCH('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path: { tenant, name: args.name } }, body: patch, headers: ifMatchHeader(opts) }),
    )
    if (!opts.wait) {
      out.object(updated, clusterView)
      return Exit.Ok
    }
    const { cluster, elapsedMs } = await waitForCluster({ api, io, tenant, name: args.name, target: 'running', timeoutMs: timeoutMs(opts) })
    if (!cluster || out.structured(cluster)) return Exit.Ok
    if (out.quiet) out.object(cluster, clusterView)
    else out.done(`✓ Cluster "${cluster.name}" has generation ${cluster.generation} applied and is Running, after ${formatElapsed(elapsedMs)}.`)
    return Exit.Ok
  },
})
