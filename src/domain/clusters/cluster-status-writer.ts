import type { Updateable } from 'kysely'
import { sameJson } from '../../lib/same-json.js'
import type { ProviderState } from '../../providers/types.js'
import { updateCluster } from '../../store/clusters.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { ClusterRow, ClusterTable, Executor } from '../../store/db.js'
import type { ClusterControllerState, ClusterStatus } from './schema.js'

/** Spec columns the API changes in the same write as the status (PATCH, DELETE). */
export type ClusterSpecChange = Pick<Updateable<ClusterTable>, 'version' | 'resources' | 'alerts' | 'high_availability' | 'generation' | 'deletion_requested_at'>

export interface ClusterStatusChange {
  /** Edits a copy of the status (phase, conditions, observedGeneration, …). */
  status?: (s: ClusterStatus, now: Date) => void
  /** The API's spec change that goes with this status change; always saved. */
  spec?: ClusterSpecChange
  /** The cluster controller's own state, replaced whole. */
  controllerState?: ClusterControllerState
  /** The provider's new state, replaced whole. */
  providerState?: ProviderState
}

export interface ClusterStatusWritten {
  row: ClusterRow
  /** Secret sync targets depend on the phase (spec §5.4): the caller signals `secrets` once committed. */
  phaseChanged: boolean
}

/** What `change` would change on `row` at `now`. */
function diff(row: ClusterRow, change: ClusterStatusChange, now: Date) {
  const status = structuredClone(row.status)
  change.status?.(status, now)
  const statusChanged = !sameJson(status, row.status)
  return {
    status,
    statusChanged,
    objectChanged: statusChanged || change.spec !== undefined,
    controllerChanged: change.controllerState !== undefined && !sameJson(change.controllerState, row.controller_state),
    providerChanged: change.providerState !== undefined && !sameJson(change.providerState, row.provider_state),
  }
}

/**
 * Whether `change` would change anything on `row`: a reconcile that would write nothing (a
 * resync of a settled cluster) takes no lock and opens no transaction.
 */
export function changesCluster(row: ClusterRow, change: ClusterStatusChange, now: Date): boolean {
  const d = diff(row, change, now)
  return d.objectChanged || d.controllerChanged || d.providerChanged
}

/**
 * The one writer of cluster status (STYLE.md rule 11), for the API (PATCH, DELETE) and the
 * cluster controller alike. Runs in the caller's transaction on a row the caller has locked:
 * edits a copy of the status and saves only what changed, in one statement. A status or spec
 * change gets a new resourceVersion; controller or provider state alone does not (neither is
 * part of the API object).
 */
export async function writeClusterStatus(trx: Executor, locked: ClusterRow, change: ClusterStatusChange, now: Date): Promise<ClusterStatusWritten> {
  const { status, statusChanged, objectChanged, controllerChanged, providerChanged } = diff(locked, change, now)
  if (!objectChanged && !controllerChanged && !providerChanged) return { row: locked, phaseChanged: false }
  const row = await updateCluster(trx, locked.id, {
    ...change.spec,
    ...(statusChanged ? { status: JSON.stringify(status) } : {}),
    ...(objectChanged ? { resource_version: await nextResourceVersion(trx) } : {}),
    ...(controllerChanged ? { controller_state: JSON.stringify(change.controllerState) } : {}),
    ...(providerChanged ? { provider_state: JSON.stringify(change.providerState) } : {}),
  })
  return { row, phaseChanged: status.phase !== locked.status.phase }
}
