import { changesCluster, writeClusterStatus, type ClusterStatusChange } from '../domain/clusters/cluster-status-writer.js'
import type { ClusterPhase } from '../domain/clusters/schema.js'
import { lockCluster } from '../store/clusters.js'
import type { ClusterRow, Executor } from '../store/db.js'
import type { ControllerDeps } from './deps.js'

type Deps = Pick<ControllerDeps, 'db' | 'clock' | 'signal'>

/** What a reconcile may change: status and state, never the spec (that is the API's). */
export type ReconcileChange = Omit<ClusterStatusChange, 'spec'>

/**
 * Saves a reconcile's outcome through the one status writer, only if the row is still the one
 * the reconcile read (same resourceVersion): otherwise the API changed it meanwhile and the
 * caller must look again. Returns the saved row, or undefined when the row moved or is gone.
 * `alsoInTransaction` writes what must commit with the status (metering), given the row as written.
 * A change that would change nothing on the row as read (and writes nothing else) returns it without a transaction: if
 * the row moved since, whoever moved it signalled this cluster, and the next pass sees it.
 */
export async function writeStatusIfCurrent(
  deps: Deps, seen: ClusterRow, change: ReconcileChange, alsoInTransaction?: (trx: Executor, written: ClusterRow, now: Date) => Promise<void>,
): Promise<ClusterRow | undefined> {
  const now = deps.clock.now()
  if (!alsoInTransaction && !changesCluster(seen, change, now)) return seen
  const written = await deps.db.transaction().execute(async (trx) => {
    const row = await lockCluster(trx, seen.id)
    if (!row || row.resource_version !== seen.resource_version) return undefined
    const result = await writeClusterStatus(trx, row, change, now)
    await alsoInTransaction?.(trx, result.row, now)
    return result
  })
  if (written?.phaseChanged) deps.signal('secrets', seen.tenant_id)
  return written?.row
}

/** Whether a row's status is in one of `phases`. */
export const inPhase = (row: ClusterRow, ...phases: ClusterPhase[]) => phases.includes(row.status.phase)
