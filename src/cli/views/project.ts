import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type Project = Schemas['Project']

const quota = (p: Project) => `${p.quota.cpu ?? '-'} CPU / ${p.quota.memory ?? '-'} / ${p.quota.storage ?? '-'} / ${p.quota.pods ?? '-'} pods`
const ready = (p: Project) => p.status.conditions.find((c) => c.type === 'Ready')

export const projectView: View<Project> = {
  id: (p) => p.id,
  columns: [
    ['ID', (p) => p.id],
    ['NAME', (p) => p.name],
    ['NAMESPACE', (p) => p.namespace],
    ['PHASE', (p) => p.status.phase],
    ['QUOTA', quota],
    ['CREATED', (p) => p.created_at],
  ],
  details: (p) => [
    ['ID', p.id],
    ['Name', p.name],
    ['Tenant', p.tenant_id],
    ['Host cluster', p.cluster_id],
    ['Namespace', p.namespace],
    ['Phase', p.status.phase],
    ['Ready', ready(p) ? `${ready(p)!.status} (${ready(p)!.reason}) ${ready(p)!.message}`.trim() : undefined],
    ['Quota', quota(p)],
    ['Generation', `${p.generation} (observed ${p.status.observed_generation})`],
    ['Created', p.created_at],
  ],
}
