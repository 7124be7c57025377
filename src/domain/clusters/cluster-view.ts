import { toRfc3339 } from '../../lib/time.js'
import type { ClusterRow } from '../../store/db.js'
import type { Cluster, ClusterStatus } from './schema.js'

const haFields = (s: ClusterStatus): Partial<ClusterStatus> => ({
  ...(s.haConfigured !== undefined ? { haConfigured: s.haConfigured } : {}),
  ...(s.haEnabledAt ? { haEnabledAt: s.haEnabledAt } : {}),
  ...(s.haPhase ? { haPhase: s.haPhase } : {}),
  ...(s.haReplicasReady !== undefined ? { haReplicasReady: s.haReplicasReady } : {}),
  ...(s.haReplicasDesired !== undefined ? { haReplicasDesired: s.haReplicasDesired } : {}),
})

/** The cluster object of spec §6.2: unset optional values are omitted, never null. */
export function clusterToApi(row: ClusterRow): Cluster {
  const s = row.status
  return {
    name: row.name,
    displayName: row.display_name,
    type: row.type,
    version: row.version,
    highAvailability: row.high_availability,
    ...(Object.keys(row.resources).length > 0 ? { resources: row.resources } : {}),
    ...(row.alerts ? { alerts: row.alerts } : {}),
    generation: row.generation,
    resourceVersion: row.resource_version,
    createdAt: toRfc3339(row.created_at),
    status: {
      phase: s.phase,
      ...(s.kubernetesVersion ? { kubernetesVersion: s.kubernetesVersion } : {}),
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      observedGeneration: s.observedGeneration,
      conditions: s.conditions,
      ...(row.high_availability ? haFields(s) : {}),
    },
  }
}
