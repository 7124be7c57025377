import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ApiError, ok, type Schemas } from '../api.js'
import { useConsoleConfig } from '../config-context.js'
import { useSession } from '../session.js'
import { ErrorNote, Field } from '../ui.js'

/**
 * Upgrade or scale: the change is sent with If-Match set to the ETag of the cluster as the form
 * was opened, so a change made meanwhile by someone else is refused (412) and explained, never
 * overwritten.
 */
export function ClusterChange({ cluster, etag, onDone }: { cluster: Schemas['Cluster']; etag: string; onDone: () => void }) {
  const { api, tenant } = useSession()
  const { versions } = useConsoleConfig()
  const qc = useQueryClient()
  const [version, setVersion] = useState(cluster.version)
  const [cpu, setCpu] = useState(cluster.resources?.cpu ?? '')
  const [memory, setMemory] = useState(cluster.resources?.memory ?? '')
  const change = useMutation({
    mutationFn: () => ok(api.PATCH('/api/v1/tenants/{tenant}/clusters/{name}', {
      params: { path: { tenant, name: cluster.name } },
      headers: { 'if-match': etag },
      body: { ...(version !== cluster.version ? { version } : {}), resources: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
    })),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['cluster', tenant, cluster.name] }); onDone() },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); change.mutate() }
  const conflict = change.error instanceof ApiError && change.error.status === 412 ? change.error : undefined
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-change">
      <h2 id="h-change">Upgrade or scale</h2>
      <div className="row">
        <Field label="Version">
          <select value={version} onChange={(e) => setVersion(e.target.value)}>{versions.map((v) => <option key={v}>{v}</option>)}</select>
        </Field>
        <Field label="CPU"><input value={cpu} onChange={(e) => setCpu(e.target.value)} size={5} /></Field>
        <Field label="Memory"><input value={memory} onChange={(e) => setMemory(e.target.value)} size={6} /></Field>
      </div>
      <div className="actions">
        <button type="submit" disabled={change.isPending}>Apply change</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
      {conflict
        ? <p className="error" role="alert">{conflict.message}: the cluster was changed by someone else after you opened this form. Cancel and open it again to start from the current settings.</p>
        : <ErrorNote error={change.error} />}
    </form>
  )
}
