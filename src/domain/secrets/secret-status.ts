import type { Condition } from '../common/schema.js'
import type { SecretPhase, StoredSecretStatus, StoredSyncStatus, SyncStatus, SyncTarget } from './schema.js'
import { setCondition } from '../common/conditions.js'

export const effectiveSecretName = (target: SyncTarget, secretName: string) => target.secretName ?? secretName

/** Two targets are the same when cluster, namespace and effective secret name are (spec §5.4). */
export const targetKey = (target: SyncTarget, secretName: string) =>
  `${target.cluster}/${target.namespace}/${effectiveSecretName(target, secretName)}`

export function pendingSyncStatus(target: SyncTarget, secretName: string): StoredSyncStatus {
  return {
    cluster: target.cluster,
    namespace: target.namespace,
    secretName: effectiveSecretName(target, secretName),
    phase: 'Pending',
    message: '',
  }
}

/** One status per target in `sync` order: kept for targets that stay, Pending for new ones. */
export function alignSyncStatuses(secretName: string, sync: SyncTarget[], previous: StoredSyncStatus[]): StoredSyncStatus[] {
  const byKey = new Map(previous.map((s) => [`${s.cluster}/${s.namespace}/${s.secretName}`, s]))
  return sync.map((t) => byKey.get(targetKey(t, secretName)) ?? pendingSyncStatus(t, secretName))
}

/** Secret phase, first rule that applies (spec §5.4). */
export function secretPhaseOf(statuses: SyncStatus[]): SecretPhase {
  if (statuses.every((s) => s.phase === 'Synced')) return 'Synced'
  if (statuses.every((s) => s.phase === 'Failed')) return 'Failed'
  if (statuses.some((s) => s.phase === 'Failed')) return 'Degraded'
  return 'Pending'
}

function readyCondition(previous: Condition[], status: Condition['status'], reason: string, message: string, now: Date): Condition[] {
  const conditions = previous.map((c) => ({ ...c }))
  setCondition(conditions, { type: 'Ready', status, reason, message }, now)
  return conditions
}

/** Phase and Ready condition from the targets' statuses; Ready is True exactly when Synced. */
export function summariseSecretStatus(syncStatuses: StoredSyncStatus[], previous: Condition[], now: Date): StoredSecretStatus {
  const phase = secretPhaseOf(syncStatuses)
  const synced = syncStatuses.filter((s) => s.phase === 'Synced').length
  const counted = `${synced} of ${syncStatuses.length} targets synced`
  const conditions =
    phase === 'Synced'
      ? readyCondition(previous, 'True', 'Synced', syncStatuses.length === 0 ? 'No sync targets' : counted, now)
      : readyCondition(previous, 'False', phase === 'Pending' ? 'Pending' : 'SyncFailed', counted, now)
  return { phase, conditions, syncStatuses }
}

/** The status of a new secret: Pending until the sync controller has looked at it. */
export function initialSecretStatus(secretName: string, sync: SyncTarget[], now: Date): StoredSecretStatus {
  return {
    phase: 'Pending',
    conditions: readyCondition([], 'False', 'Pending', 'Waiting to be synced', now),
    syncStatuses: sync.map((t) => pendingSyncStatus(t, secretName)),
  }
}

/** Structural equality, whatever the key order (jsonb reorders keys). */
export function sameStatus(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
