import { toRfc3339 } from '../../lib/time.js'
import type { HostClusterRow } from '../../store/db.js'
import { setCondition } from '../common/conditions.js'
import type { HostClusterProbe } from '../../kube/host-cluster-access.js'
import { CLEANUP_FINALIZER, CLUSTER_ID_LABEL, type HostCluster, type HostClusterHealth } from './schema.js'

/** The host cluster object of seed 004's register sample, plus what the last check saw. */
export function hostClusterToApi(row: HostClusterRow, tenants: number): HostCluster {
  return {
    // The seed's fields first, in the seed's order.
    id: row.id,
    name: row.name,
    labels: { [CLUSTER_ID_LABEL]: row.id },
    finalizers: [CLEANUP_FINALIZER],
    created_at: toRfc3339(row.created_at),
    server: row.server,
    tenants,
    status: row.health,
  }
}

/** The health a probe implies; the Ready condition moves its transition time only on a flip. */
export function healthOf(probe: HostClusterProbe, previous: HostClusterHealth | undefined, now: Date): HostClusterHealth {
  const conditions = structuredClone(previous?.conditions ?? [])
  setCondition(
    conditions,
    probe.ready
      ? { type: 'Ready', status: 'True', reason: 'Healthy', message: 'The API server is ready' }
      : { type: 'Ready', status: probe.reachable ? 'False' : 'Unknown', reason: probe.reachable ? 'NotReady' : 'Unreachable', message: probe.message },
    now,
  )
  return {
    phase: probe.ready ? 'Ready' : probe.reachable ? 'NotReady' : 'Unknown',
    conditions,
    ...(probe.serverVersion ? { server_version: probe.serverVersion } : {}),
    ...(probe.nodeCount !== undefined ? { node_count: probe.nodeCount } : {}),
    ...(probe.nodesReady !== undefined ? { nodes_ready: probe.nodesReady } : {}),
    checked_at: toRfc3339(now),
  }
}
