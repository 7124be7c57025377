import type { Executor } from './db.js'

/** Every cluster in the platform, the columns the operator's summaries need. */
export const listAllClusterSummaries = (db: Executor) =>
  db.selectFrom('clusters').select(['tenant_id', 'resources', 'status']).orderBy('tenant_id').orderBy('name').execute()

/** Every secret in the platform, with its status (phase and per-target sync statuses). */
export const listAllSecretSummaries = (db: Executor) =>
  db.selectFrom('secrets').select(['tenant_id', 'status']).orderBy('tenant_id').orderBy('name').execute()
