import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ok, type Schemas } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ConfirmButton, Empty, ErrorNote, Field, QueryView, Table, formatTime } from '../ui.js'

/** API keys: created keys are shown once (then only in this component's memory until dismissed). */
export function ApiKeysPage() {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const qc = useQueryClient()
  const keys = useQuery({
    queryKey: ['apikeys', tenant],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/apikeys', { params: { path: { tenant } } })),
  })
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/api/v1/tenants/{tenant}/apikeys/{id}', { params: { path: { tenant, id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ['apikeys', tenant] }),
  })
  return (
    <section aria-labelledby="h-keys">
      <h1 id="h-keys">API keys</h1>
      {isAdmin && <CreateKey />}
      <ErrorNote error={revoke.error} />
      <QueryView query={keys} what="API keys">
        {(data) => data.items.length === 0 ? <Empty>No API keys.</Empty> : (
          <Table label={`API keys of ${tenant}`}>
            <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col">Last used</th>{isAdmin && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {data.items.map((k) => (
                <tr key={k.id}>
                  <td>{k.displayName}</td><td><code>{k.id}</code></td><td>{k.role}</td>
                  <td>{formatTime(k.expiresAt)}</td><td>{formatTime(k.lastUsedAt)}</td>
                  {isAdmin && <td><ConfirmButton label="Revoke" question={`Revoke ${k.displayName}?`} onConfirm={() => revoke.mutate(k.id)} /></td>}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

function CreateKey() {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState<'admin' | 'readonly'>('readonly')
  const [expiresOn, setExpiresOn] = useState('')
  const [created, setCreated] = useState<Schemas['ApiKeyCreated']>()
  const [copied, setCopied] = useState(false)
  const create = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/tenants/{tenant}/apikeys', {
      params: { path: { tenant } },
      body: { displayName, role, ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T00:00:00Z`).toISOString() } : {}) },
    })),
    onSuccess: (k) => { setCreated(k); setCopied(false); setDisplayName(''); void qc.invalidateQueries({ queryKey: ['apikeys', tenant] }) },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate() }
  async function copy(key: string) {
    await navigator.clipboard.writeText(key)
    setCopied(true)
  }
  return (
    <div className="card">
      <form onSubmit={submit} aria-labelledby="h-create-key">
        <h2 id="h-create-key">Create an API key</h2>
        <div className="row">
          <Field label="Name"><input required value={displayName} onChange={(e) => setDisplayName(e.target.value)} /></Field>
          <Field label="Role">
            <select value={role} onChange={(e) => setRole(e.target.value as 'admin' | 'readonly')}>
              <option value="readonly">readonly</option><option value="admin">admin</option>
            </select>
          </Field>
          <Field label="Expires on (optional)"><input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} /></Field>
        </div>
        <button type="submit" disabled={create.isPending}>Create key</button>
        <ErrorNote error={create.error} />
      </form>
      {created && (
        <div className="once" role="region" aria-label="New API key">
          <p><strong>Copy this key now:</strong> it is shown only this once.</p>
          <code className="secret" data-testid="new-key">{created.key}</code>
          <div className="actions">
            <button type="button" onClick={() => void copy(created.key)}>{copied ? 'Copied' : 'Copy'}</button>
            <button type="button" onClick={() => setCreated(undefined)}>Done</button>
          </div>
        </div>
      )}
    </div>
  )
}
