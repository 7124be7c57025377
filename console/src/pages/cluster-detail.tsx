import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useLocation } from 'wouter'
import { ApiError, ok, type Schemas } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ClusterChange } from './cluster-change.js'
import { Conditions, ConfirmButton, ErrorNote, formatTime, Phase, QueryView } from '../ui.js'

/** Saves text as a file through an object URL (no data: navigation, nothing inline). */
function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  URL.revokeObjectURL(url)
}

export function ClusterDetailPage({ name }: { name: string }) {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const qc = useQueryClient()
  const [, navigate] = useLocation()
  const [kubeconfigError, setKubeconfigError] = useState<unknown>()
  const path = { tenant, name }
  const [changing, setChanging] = useState<{ etag: string; cluster: Schemas['Cluster'] }>()
  // The ETag comes with the body: an upgrade is sent against the version it was opened on.
  const cluster = useQuery({
    queryKey: ['cluster', tenant, name],
    queryFn: async () => {
      const r = api.GET('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path } })
      const body = await ok(r)
      return { ...body, etag: (await r).response.headers.get('etag') ?? '' }
    },
    refetchInterval: (q) => (q.state.data?.status.phase === 'Running' ? 5000 : 1000),
  })
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path } })),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['clusters', tenant] }); navigate('/clusters') },
  })
  async function downloadKubeconfig() {
    setKubeconfigError(undefined)
    try {
      const res = await api.GET('/api/v1/tenants/{tenant}/clusters/{name}/kubeconfig', { params: { path, query: { format: 'yaml' } }, parseAs: 'text' })
      if (!res.response.ok) {
        const body = res.error as unknown
        const parsed = typeof body === 'string' ? (JSON.parse(body) as { error?: string }) : (body as { error?: string })
        throw new ApiError(res.response.status, parsed.error ?? `HTTP ${res.response.status}`)
      }
      download(`${tenant}-${name}.kubeconfig.yaml`, String(res.data), 'application/yaml')
    } catch (e) {
      setKubeconfigError(e)
    }
  }
  return (
    <section aria-labelledby="h-cluster">
      <h1 id="h-cluster">Cluster {name}</h1>
      <QueryView query={cluster} what="the cluster">
        {(c) => (
          <>
            <dl className="facts">
              <dt>Phase</dt><dd><Phase phase={c.status.phase} /></dd>
              <dt>Version</dt><dd>{c.version}{c.status.kubernetesVersion ? ` (running ${c.status.kubernetesVersion})` : ''}</dd>
              <dt>Type</dt><dd>{c.type}{c.highAvailability ? ', highly available' : ''}</dd>
              <dt>Resources</dt><dd>{c.resources ? `${c.resources.cpu ?? '—'} CPU, ${c.resources.memory ?? '—'} memory, ${c.resources.storage ?? '—'} storage` : 'default'}</dd>
              <dt>Endpoint</dt><dd>{c.status.endpoint ?? '—'}</dd>
              <dt>Created</dt><dd>{formatTime(c.createdAt)}</dd>
            </dl>
            <div className="actions">
              <button type="button" onClick={() => void downloadKubeconfig()} disabled={c.status.phase !== 'Running'}>Download kubeconfig</button>
              {isAdmin && !changing && <button type="button" onClick={() => setChanging({ etag: c.etag, cluster: c })}>Upgrade or scale</button>}
              {isAdmin && <ConfirmButton label="Delete" question={`Delete cluster ${name}?`} busy={remove.isPending} onConfirm={() => remove.mutate()} />}
            </div>
            {changing && <ClusterChange cluster={changing.cluster} etag={changing.etag} onDone={() => setChanging(undefined)} />}
            <ErrorNote error={kubeconfigError} />
            <ErrorNote error={remove.error} />
            <h2>Conditions</h2>
            <Conditions conditions={c.status.conditions} />
          </>
        )}
      </QueryView>
    </section>
  )
}
