import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type Tenant = Schemas['Tenant']

const amounts = (a: { cpu: string; memory: string; storage: string } | undefined) =>
  a ? `${a.cpu} CPU / ${a.memory} GiB / ${a.storage} GiB` : 'no pool'

export const tenantView: View<Tenant> = {
  id: (t) => t.name,
  columns: [
    ['NAME', (t) => t.name],
    ['PLAN', (t) => t.plan],
    ['PHASE', (t) => t.status.phase],
    ['CLUSTERS', (t) => t.status.clusterCount],
    ['MEMBERS', (t) => t.members.length],
    ['CREATED', (t) => t.createdAt],
  ],
  details: (t) => [
    ['Name', t.name],
    ['Display name', t.displayName],
    ['Contact email', t.contactEmail],
    ['Plan', t.plan],
    ['Phase', t.status.phase],
    ['Clusters', t.status.clusterCount],
    ['Pool', amounts(t.status.poolResources)],
    ['Allocated', amounts(t.status.allocatedResources)],
    ['Members', t.members.map((m) => `${m.email} (${m.role})`).join(', ')],
    ['Enforce metrics limit', t.enforceMetricsLimit],
    ['Enforce log limit', t.enforceLogLimit],
    ['Estimated total', `${t.status.currentUsage.estimatedTotal} ${t.status.currentUsage.currency} this period`],
    ['Resource version', t.resourceVersion],
    ['Created', t.createdAt],
  ],
}
