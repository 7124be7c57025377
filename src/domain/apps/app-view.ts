import { toRfc3339 } from '../../lib/time.js'
import type { AppRow, ProjectRow } from '../../store/db.js'
import type { App } from './schema.js'

export function appToApi(row: AppRow, project: Pick<ProjectRow, 'namespace'>): App {
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    namespace: project.namespace,
    ...row.spec,
    replicas: row.spec.replicas ?? 1,
    generation: row.generation,
    created_at: toRfc3339(row.created_at),
    // The sync controller writes status; a requested deletion shows at once.
    status: row.deletion_requested_at ? { ...row.status, phase: 'Deleting' } : row.status,
  }
}
