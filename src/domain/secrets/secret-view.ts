import { toRfc3339 } from '../../lib/time.js'
import type { SecretRow } from '../../store/db.js'
import type { Secret, StoredSyncStatus, SyncStatus } from './schema.js'

function syncStatusToApi(s: StoredSyncStatus): SyncStatus {
  return {
    cluster: s.cluster,
    namespace: s.namespace,
    secretName: s.secretName,
    phase: s.phase,
    message: s.message,
    ...(s.lastSyncTime !== undefined ? { lastSyncTime: s.lastSyncTime } : {}),
    ...(s.sourceVersion !== undefined ? { sourceVersion: s.sourceVersion } : {}),
  }
}

/** The secret object of spec §6.4; what targets hold internally stays internal. */
export function secretToApi(row: SecretRow): Secret {
  return {
    name: row.name,
    secretPath: row.secret_path,
    ...(row.sync
      ? { sync: row.sync.map((t) => ({ cluster: t.cluster, namespace: t.namespace, ...(t.secretName !== undefined ? { secretName: t.secretName } : {}) })) }
      : {}),
    resourceVersion: row.resource_version,
    createdAt: toRfc3339(row.created_at),
    status: {
      phase: row.status.phase,
      conditions: row.status.conditions,
      syncStatuses: row.status.syncStatuses.map(syncStatusToApi),
    },
  }
}
