import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type HostCluster = Schemas['HostCluster']

const ready = (c: HostCluster) => c.status.conditions.find((x) => x.type === 'Ready')

export const hostClusterView: View<HostCluster> = {
  id: (c) => c.id,
  columns: [
    ['ID', (c) => c.id],
    ['NAME', (c) => c.name],
    ['PHASE', (c) => c.status.phase],
    ['VERSION', (c) => c.status.server_version ?? ''],
    ['NODES', (c) => (c.status.node_count === undefined ? '' : `${c.status.nodes_ready ?? 0}/${c.status.node_count}`)],
    ['TENANTS', (c) => c.tenants],
    ['CREATED', (c) => c.created_at],
  ],
  details: (c) => [
    ['ID', c.id],
    ['Name', c.name],
    ['Server', c.server],
    ['Phase', c.status.phase],
    ['Ready', ready(c) ? `${ready(c)!.status} (${ready(c)!.reason}) ${ready(c)!.message}`.trim() : undefined],
    ['Kubernetes version', c.status.server_version],
    ['Nodes', c.status.node_count === undefined ? undefined : `${c.status.nodes_ready ?? 0} ready of ${c.status.node_count}`],
    ['Tenants placed', c.tenants],
    ['Checked', c.status.checked_at],
    ['Created', c.created_at],
  ],
}
