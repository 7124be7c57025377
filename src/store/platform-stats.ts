import type { Executor } from './db.js'

/** Every cluster in the platform, the columns the operator's summaries need. */
export const listAllClusterSummaries = (db: Executor) =>
  db.selectFrom('clusters').select(['tenant_id', 'resources', 'status']).orderBy('tenant_id').orderBy('name').execute()

/** Every secret in the platform, with its status (phase and per-target sync statuses). */
export const listAllSecretSummaries = (db: Executor) =>
  db.selectFrom('secrets').select(['tenant_id', 'status']).orderBy('tenant_id').orderBy('name').execute()

/** Every project and app, the columns the reports need. */
export const listAllProjectSummaries = (db: Executor) => db.selectFrom('projects').select(['tenant_id', 'namespace', 'status', 'deletion_requested_at']).execute()

export const listAllAppSummaries = (db: Executor) =>
  db
    .selectFrom('apps')
    .innerJoin('projects', 'projects.id', 'apps.project_id')
    .select(['projects.tenant_id', 'apps.spec', 'apps.status', 'apps.generation', 'apps.deletion_requested_at'])
    .execute()
