import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type Cluster = Schemas['Cluster']

/** The Ready condition, which every cluster has (spec §6.2). */
export function readyOf(c: Pick<Cluster, 'status'>): Schemas['Condition'] | undefined {
  return c.status.conditions.find((x) => x.type === 'Ready')
}

/** High availability as observed (decision 0020): "no", or its phase with the replicas ready. */
function haOf(c: Cluster, detail = false): string {
  if (!c.highAvailability) return 'no'
  const s = c.status
  const counts = s.haReplicasDesired ? ` (${s.haReplicasReady ?? 0}/${s.haReplicasDesired} ready)` : ''
  const since = detail && s.haEnabledAt ? `, enabled at ${s.haEnabledAt}` : ''
  return `${s.haPhase ?? 'yes'}${counts}${since}`
}

const resources = (c: Cluster) => {
  const r = c.resources ?? {}
  return `${r.cpu ?? 'default'} CPU / ${r.memory ?? 'default'} / ${r.storage ?? 'default'}`
}

export const clusterView: View<Cluster> = {
  id: (c) => c.name,
  columns: [
    ['NAME', (c) => c.name],
    ['PHASE', (c) => c.status.phase],
    ['VERSION', (c) => c.status.kubernetesVersion ?? c.version],
    ['TYPE', (c) => c.type],
    ['HA', (c) => haOf(c)],
    ['CPU', (c) => c.resources?.cpu ?? 'default'],
    ['MEMORY', (c) => c.resources?.memory ?? 'default'],
    ['STORAGE', (c) => c.resources?.storage ?? 'default'],
    ['CREATED', (c) => c.createdAt],
  ],
  details: (c) => {
    const ready = readyOf(c)
    return [
      ['Name', c.name],
      ['Display name', c.displayName],
      ['Phase', c.status.phase],
      ['Ready', ready ? `${ready.status} (${ready.reason}) ${ready.message}`.trim() : undefined],
      ['Version', c.version],
      ['Kubernetes version', c.status.kubernetesVersion],
      ['Type', c.type],
      ['High availability', haOf(c, true)],
      ['Resources', resources(c)],
      ['Alerts', c.alerts ? JSON.stringify(c.alerts) : undefined],
      ['Endpoint', c.status.endpoint],
      ['Generation', `${c.generation} (observed ${c.status.observedGeneration})`],
      ['Resource version', c.resourceVersion],
      ['Created', c.createdAt],
    ]
  },
}
