import { lockClustersNotDeleting } from '../../store/clusters.js'
import { revokeClusterCredentials } from '../../store/credentials.js'
import type { ClusterRow, Executor } from '../../store/db.js'
import { setPhase } from './cluster-status.js'
import { writeClusterStatus } from './cluster-status-writer.js'

/**
 * Asks for a locked cluster to go (spec §5.2 DELETE): phase `Deleting`, every credential revoked
 * at once; the cluster controller tears the backend down and removes the row. The caller signals
 * `clusters` and `secrets` once committed.
 */
export async function requestClusterDeletion(trx: Executor, locked: ClusterRow, now: Date): Promise<void> {
  await writeClusterStatus(trx, locked, { spec: { deletion_requested_at: now }, status: (s, at) => setPhase(s, 'Deleting', at) }, now)
  await revokeClusterCredentials(trx, locked.id, now)
}

/** Asks for every cluster of the tenant not yet going to go; how many were asked. */
export async function requestTenantClustersDeletion(trx: Executor, tenantId: string, now: Date): Promise<number> {
  const rows = await lockClustersNotDeleting(trx, tenantId)
  for (const row of rows) await requestClusterDeletion(trx, row, now)
  return rows.length
}
