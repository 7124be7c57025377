import type { Container } from '../container.js'
import { sameJson } from '../lib/same-json.js'
import { nextResourceVersion } from '../store/connect.js'
import { lockCluster, updateCluster } from '../store/clusters.js'
import type { ClusterPhase, ClusterStatus } from '../domain/clusters/schema.js'
import type { ClusterRow } from '../store/db.js'
import type { ProviderState } from '../providers/types.js'

type Deps = Pick<Container, 'db' | 'clock' | 'signal'>

export interface ClusterStatusChange {
  /** Edits a copy of the status; called with the row as locked. */
  status?: (s: ClusterStatus, now: Date) => void
  /** The provider's new private state (never shown in the API). */
  providerState?: ProviderState
}


/**
 * The one writer of cluster status (STYLE.md rule 11). Locks the row and applies the change
 * only if the row is still the one the reconcile read (same resourceVersion): otherwise the API
 * changed it meanwhile and the caller must look again. Saves only what changed; a status change
 * gets a new resourceVersion, provider state alone does not (it is not part of the object).
 * Returns the saved row, or undefined when the row moved or is gone.
 */
export async function writeClusterStatus(deps: Deps, seen: ClusterRow, change: ClusterStatusChange): Promise<ClusterRow | undefined> {
  const now = deps.clock.now()
  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await lockCluster(trx, seen.id)
    if (!row || row.resource_version !== seen.resource_version) return undefined
    const status = structuredClone(row.status)
    change.status?.(status, now)
    const statusChanged = !sameJson(status, row.status)
    const stateChanged = change.providerState !== undefined && !sameJson(change.providerState, row.provider_state)
    if (!statusChanged && !stateChanged) return { row, phaseChanged: false }
    const saved = await updateCluster(trx, row.id, {
      ...(statusChanged ? { status: JSON.stringify(status), resource_version: await nextResourceVersion(trx) } : {}),
      ...(stateChanged ? { provider_state: JSON.stringify(change.providerState) } : {}),
    })
    return { row: saved, phaseChanged: status.phase !== row.status.phase }
  })
  // Secret sync targets depend on the cluster's phase (spec §5.4).
  if (result?.phaseChanged) deps.signal('secrets')
  return result?.row
}

/** Whether a row's status is in one of `phases`. */
export const inPhase = (row: ClusterRow, ...phases: ClusterPhase[]) => (phases as string[]).includes(row.status.phase)
