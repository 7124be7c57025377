import { useQuery } from '@tanstack/react-query'
import { Link } from 'wouter'
import { ok } from '../../api.js'
import { useAdmin } from '../../admin-session.js'
import { Conditions, Empty, formatTime, Phase, QueryView, Table } from '../../ui.js'

/** Host clusters registered with the manager API (`/v1/clusters`): where tenants' projects run. */
export function HostClustersPage() {
  const { api } = useAdmin()
  const clusters = useQuery({ queryKey: ['admin', 'host-clusters'], queryFn: () => ok(api.GET('/v1/clusters')), refetchInterval: 10_000 })
  return (
    <section aria-labelledby="h-host-clusters">
      <h1 id="h-host-clusters">Host clusters</h1>
      <QueryView query={clusters} what="host clusters">
        {(items) => items.length === 0 ? <Empty>No host clusters registered yet (<code>POST /v1/clusters</code> with a kubeconfig).</Empty> : (
          <Table label="Host clusters">
            <thead><tr><th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Server</th><th scope="col">Nodes ready</th><th scope="col">Tenants</th><th scope="col">Checked</th></tr></thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.id}>
                  <td><Link href={`/admin/clusters/${h.id}`}>{h.name}</Link></td>
                  <td><Phase phase={h.status.phase} /></td>
                  <td>{h.server}</td>
                  <td>{h.status.node_count === undefined ? '—' : `${h.status.nodes_ready ?? 0} of ${h.status.node_count}`}</td>
                  <td>{h.tenants}</td>
                  <td>{formatTime(h.status.checked_at)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

/** One host cluster, checked live by the server on every read. */
export function HostClusterDetailPage({ id }: { id: string }) {
  const { api } = useAdmin()
  const cluster = useQuery({ queryKey: ['admin', 'host-cluster', id], queryFn: () => ok(api.GET('/v1/clusters/{id}', { params: { path: { id } } })) })
  return (
    <section aria-labelledby="h-host-cluster">
      <h1 id="h-host-cluster">Host cluster {cluster.data?.name ?? id}</h1>
      <p><Link href="/admin/clusters">All host clusters</Link></p>
      <QueryView query={cluster} what="the host cluster">
        {(h) => (
          <>
            <dl className="facts">
              <dt>Phase</dt><dd><Phase phase={h.status.phase} /></dd>
              <dt>Server</dt><dd>{h.server}</dd>
              <dt>Version</dt><dd>{h.status.server_version ?? '—'}</dd>
              <dt>Nodes</dt><dd>{h.status.node_count === undefined ? '—' : `${h.status.nodes_ready ?? 0} of ${h.status.node_count} ready`}</dd>
              <dt>Tenants</dt><dd>{h.tenants}</dd>
              <dt>Labels</dt><dd>{Object.entries(h.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
              <dt>Registered</dt><dd>{formatTime(h.created_at)}</dd>
              <dt>Checked</dt><dd>{formatTime(h.status.checked_at)}</dd>
            </dl>
            <h2>Conditions</h2>
            <Conditions conditions={h.status.conditions} />
          </>
        )}
      </QueryView>
    </section>
  )
}
