import { toRfc3339 } from '../../lib/time.js'
import type { ProjectRow } from '../../store/db.js'
import type { Project } from './schema.js'

export function projectToApi(row: ProjectRow): Project {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    cluster_id: row.host_cluster_id,
    name: row.name,
    namespace: row.namespace,
    quota: row.quota,
    generation: row.generation,
    created_at: toRfc3339(row.created_at),
    // The sync controller writes status; a requested deletion shows at once (as clusters do, §5.2).
    status: row.deletion_requested_at ? { ...row.status, phase: 'Deleting' } : row.status,
  }
}
