import { useQuery } from '@tanstack/react-query'
import { ok } from '../api.js'
import { useSession } from '../session.js'
import { Empty, QueryView, Table } from '../ui.js'

export function PlansPage() {
  const { api, tenant } = useSession()
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => ok(api.GET('/api/v1/plans')) })
  const current = useQuery({ queryKey: ['tenant', tenant], queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } })) })
  return (
    <section aria-labelledby="h-plans">
      <h1 id="h-plans">Plans</h1>
      <QueryView query={plans} what="plans">
        {(data) => data.items.length === 0 ? <Empty>No plans.</Empty> : (
          <Table label={`Plans`}>
            <thead><tr><th scope="col">Plan</th><th scope="col">Platform fee</th><th scope="col">Clusters</th><th scope="col">Dedicated</th><th scope="col">Resource pool</th></tr></thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.name} aria-current={p.name === current.data?.plan ? 'true' : undefined}>
                  <td>{p.displayName}{p.name === current.data?.plan ? ' (your plan)' : ''}</td>
                  <td>{p.platformFee} {p.currency}</td><td>{p.maxClusters}</td><td>{p.dedicatedClusters ? 'yes' : 'no'}</td>
                  <td>{p.resourcePool ? `${p.resourcePool.cpu} CPU, ${p.resourcePool.memory} GiB, ${p.resourcePool.storage} GiB storage` : 'none'}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}
