import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'wouter'
import { ok } from '../api.js'
import { useConsoleConfig } from '../config-context.js'
import { useIsAdmin, useSession } from '../session.js'
import { Empty, ErrorNote, Field, Phase, QueryView, Table } from '../ui.js'

/** Clusters with their live phase: the list polls every second while any cluster is changing. */
export function ClustersPage() {
  const { api, tenant } = useSession()
  const clusters = useQuery({
    queryKey: ['clusters', tenant],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/clusters', { params: { path: { tenant } } })),
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.status.phase !== 'Running' && c.status.phase !== 'Failed') ? 1000 : 5000),
  })
  return (
    <section aria-labelledby="h-clusters">
      <h1 id="h-clusters">Clusters</h1>
      {useIsAdmin() && <CreateCluster />}
      <QueryView query={clusters} what="clusters">
        {(data) => data.items.length === 0 ? <Empty>No clusters yet.</Empty> : (
          <Table label={`Clusters of ${tenant}`}>
            <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Type</th><th scope="col">Phase</th></tr></thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.name}>
                  <td><Link href={`/clusters/${encodeURIComponent(c.name)}`}>{c.name}</Link></td>
                  <td>{c.version}</td>
                  <td>{c.type}</td>
                  <td><Phase phase={c.status.phase} /></td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

function CreateCluster() {
  const { api, tenant } = useSession()
  const { versions } = useConsoleConfig()
  const qc = useQueryClient()
  const [name, setName] = useState('')
  const [version, setVersion] = useState(versions[versions.length - 1] ?? '')
  const [type, setType] = useState<'shared' | 'dedicated'>('shared')
  const [cpu, setCpu] = useState('1')
  const [memory, setMemory] = useState('2Gi')
  const info = useQuery({
    queryKey: ['tenant', tenant],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } })),
  })
  const planName = info.data?.plan
  const plan = useQuery({
    queryKey: ['plan', planName],
    enabled: planName !== undefined,
    queryFn: () => ok(api.GET('/api/v1/plans/{name}', { params: { path: { name: planName ?? '' } } })),
  })
  const create = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/tenants/{tenant}/clusters', {
      params: { path: { tenant } }, body: { name, version, type, resources: { cpu, memory } },
    })),
    onSuccess: () => { setName(''); void qc.invalidateQueries({ queryKey: ['clusters', tenant] }) },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate() }
  const p = plan.data
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-create-cluster">
      <h2 id="h-create-cluster">Create a cluster</h2>
      {p && (
        <p className="muted">
          Plan {p.displayName}: up to {p.maxClusters} clusters{p.resourcePool ? `, a pool of ${p.resourcePool.cpu} CPU and ${p.resourcePool.memory} GiB memory` : ''}
          {p.dedicatedClusters ? '; dedicated clusters allowed' : '; shared clusters only'}.
        </p>
      )}
      <div className="row">
        <Field label="Name"><input required value={name} onChange={(e) => setName(e.target.value)} pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" /></Field>
        <Field label="Version">
          <select value={version} onChange={(e) => setVersion(e.target.value)}>{versions.map((v) => <option key={v}>{v}</option>)}</select>
        </Field>
        <Field label="Type">
          <select value={type} onChange={(e) => setType(e.target.value as 'shared' | 'dedicated')}>
            <option value="shared">shared</option><option value="dedicated">dedicated</option>
          </select>
        </Field>
        <Field label="CPU"><input value={cpu} onChange={(e) => setCpu(e.target.value)} size={5} /></Field>
        <Field label="Memory"><input value={memory} onChange={(e) => setMemory(e.target.value)} size={6} /></Field>
      </div>
      <button type="submit" disabled={create.isPending}>Create cluster</button>
      <ErrorNote error={create.error} />
    </form>
  )
}
