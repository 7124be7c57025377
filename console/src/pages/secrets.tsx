import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ok, type Schemas } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ConfirmButton, Empty, ErrorNote, Field, Phase, QueryView, Table, formatTime } from '../ui.js'

type Secret = Schemas['Secret']
type Target = NonNullable<Secret['sync']>[number]

/** Managed secrets with a targets × status matrix; polls while a target is not yet Synced. */
export function SecretsPage() {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const secrets = useQuery({
    queryKey: ['secrets', tenant],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/secrets', { params: { path: { tenant } } })),
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status.syncStatuses.some((t) => t.phase === 'Pending')) ? 1000 : 5000),
  })
  return (
    <section aria-labelledby="h-secrets">
      <h1 id="h-secrets">Managed secrets</h1>
      {isAdmin && <CreateSecret />}
      <QueryView query={secrets} what="secrets">
        {(data) => data.items.length === 0 ? <Empty>No managed secrets yet.</Empty> : (
          <>{data.items.map((s) => <SecretCard key={s.name} secret={s} isAdmin={isAdmin} />)}</>
        )}
      </QueryView>
    </section>
  )
}

function SecretCard({ secret, isAdmin }: { secret: Secret; isAdmin: boolean }) {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [cluster, setCluster] = useState('')
  const [namespace, setNamespace] = useState('default')
  const path = { tenant, name: secret.name }
  const setTargets = useMutation({
    mutationFn: async (sync: Target[]) => {
      // The whole list is replaced, guarded by the ETag of a fresh read (If-Match): a concurrent
      // change answers 412 and is shown, never overwritten.
      const fresh = await api.GET('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path } })
      const etag = fresh.response.headers.get('etag') ?? ''
      return ok(api.PATCH('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path }, headers: { 'if-match': etag }, body: { sync } }))
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['secrets', tenant] }),
  })
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['secrets', tenant] }),
  })
  const targets = secret.sync ?? []
  const add = (e: FormEvent) => { e.preventDefault(); setTargets.mutate([...targets, { cluster, namespace }]) }
  return (
    <article className="card" aria-labelledby={`s-${secret.name}`}>
      <h2 id={`s-${secret.name}`}>{secret.name} <Phase phase={secret.status.phase} /></h2>
      <p className="muted">From vault path <code>{secret.secretPath}</code></p>
      {secret.status.syncStatuses.length === 0 ? <Empty>No targets.</Empty> : (
        <Table label={`Targets of ${secret.name}`}>
          <thead><tr><th scope="col">Cluster</th><th scope="col">Namespace</th><th scope="col">Secret</th><th scope="col">Status</th><th scope="col">Vault version</th><th scope="col">Last sync</th><th scope="col">Last error</th>{isAdmin && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
          <tbody>
            {secret.status.syncStatuses.map((t, i) => (
              <tr key={`${t.cluster}/${t.namespace}/${t.secretName}`}>
                <td>{t.cluster}</td><td>{t.namespace}</td><td>{t.secretName}</td><td><Phase phase={t.phase} /></td>
                <td>{t.sourceVersion ?? '—'}</td><td>{formatTime(t.lastSyncTime)}</td><td>{t.message || '—'}</td>
                {isAdmin && <td><button type="button" onClick={() => setTargets.mutate(targets.filter((_, j) => j !== i))}>Remove target</button></td>}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {isAdmin && (
        <>
          <form className="row" onSubmit={add} aria-label={`Add a target to ${secret.name}`}>
            <Field label="Cluster"><input required value={cluster} onChange={(e) => setCluster(e.target.value)} /></Field>
            <Field label="Namespace"><input required value={namespace} onChange={(e) => setNamespace(e.target.value)} /></Field>
            <button type="submit" disabled={setTargets.isPending}>Add target</button>
          </form>
          <ConfirmButton label="Delete" question={`Delete managed secret ${secret.name}?`} onConfirm={() => remove.mutate()} />
        </>
      )}
      <ErrorNote error={setTargets.error ?? remove.error} />
    </article>
  )
}

function CreateSecret() {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [name, setName] = useState('')
  const [secretPath, setSecretPath] = useState('')
  const [cluster, setCluster] = useState('')
  const [namespace, setNamespace] = useState('default')
  const create = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/tenants/{tenant}/secrets', {
      params: { path: { tenant } }, body: { name, secretPath, sync: cluster ? [{ cluster, namespace }] : [] },
    })),
    onSuccess: () => { setName(''); void qc.invalidateQueries({ queryKey: ['secrets', tenant] }) },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate() }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-create-secret">
      <h2 id="h-create-secret">Create a managed secret</h2>
      <div className="row">
        <Field label="Name"><input required value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <Field label="Vault path"><input required value={secretPath} onChange={(e) => setSecretPath(e.target.value)} /></Field>
        <Field label="Target cluster"><input value={cluster} onChange={(e) => setCluster(e.target.value)} /></Field>
        <Field label="Target namespace"><input value={namespace} onChange={(e) => setNamespace(e.target.value)} /></Field>
      </div>
      <button type="submit" disabled={create.isPending}>Create secret</button>
      <ErrorNote error={create.error} />
    </form>
  )
}
