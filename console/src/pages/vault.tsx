import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ok } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ConfirmButton, Empty, ErrorNote, Field, formatTime, QueryView } from '../ui.js'

/** Vault paths and versions; a value enters the page only when an admin asks to reveal it. */
export function VaultPage() {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const [prefix, setPrefix] = useState('')
  const entries = useQuery({
    queryKey: ['vault', tenant, prefix],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/vault', { params: { path: { tenant }, query: prefix ? { prefix } : {} } })),
  })
  return (
    <section aria-labelledby="h-vault">
      <h1 id="h-vault">Vault</h1>
      {isAdmin && <WriteValue />}
      <Field label="Filter by path prefix"><input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="production/" /></Field>
      <QueryView query={entries} what="vault paths">
        {(data) => data.items.length === 0 ? <Empty>No vault paths{prefix ? ` under “${prefix}”` : ''}.</Empty> : (
          <ul className="list">
            {data.items.map((e) => <VaultRow key={e.path} path={e.path} version={e.version} updatedAt={e.updatedAt} isAdmin={isAdmin} />)}
          </ul>
        )}
      </QueryView>
    </section>
  )
}

function VaultRow({ path, version, updatedAt, isAdmin }: { path: string; version: number; updatedAt: string; isAdmin: boolean }) {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [shown, setShown] = useState<Record<string, string>>()
  const [browsing, setBrowsing] = useState(false)
  const reveal = useMutation({
    mutationFn: () => ok(api.GET('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path } } })),
    onSuccess: (v) => setShown(v.data),
  })
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['vault', tenant] }),
  })
  return (
    <li>
      <code>{path}</code> <span className="muted">version {version}, {formatTime(updatedAt)}</span>
      <span className="actions">
        <button type="button" aria-expanded={browsing} onClick={() => setBrowsing(!browsing)} aria-label={`Versions of ${path}`}>Versions</button>
        {isAdmin && (
          <>
            {shown
              ? <button type="button" onClick={() => setShown(undefined)}>Hide</button>
              : <button type="button" onClick={() => reveal.mutate()} aria-label={`Reveal ${path}`}>Reveal</button>}
            <ConfirmButton label="Delete" question={`Delete ${path} and all its versions?`} onConfirm={() => remove.mutate()} />
          </>
        )}
      </span>
      {shown && (
        <dl className="facts secret">
          {Object.entries(shown).map(([k, v]) => <div key={k}><dt>{k}</dt><dd><code>{v}</code></dd></div>)}
        </dl>
      )}
      <ErrorNote error={reveal.error ?? remove.error} />
      {browsing && <VersionList path={path} isAdmin={isAdmin} />}
    </li>
  )
}

/**
 * The kept versions of one path from the metadata-only route (decision 0033): numbers and write
 * times for any member; an admin reveals one chosen version's value with the `?version=N` read.
 */
function VersionList({ path, isAdmin }: { path: string; isAdmin: boolean }) {
  const { api, tenant } = useSession()
  const versions = useQuery({
    queryKey: ['vault-versions', tenant, path],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/vault-versions/{path}', { params: { path: { tenant, path } } })),
  })
  return (
    <div className="card" role="region" aria-label={`Versions of ${path}`}>
      <QueryView query={versions} what={`versions of ${path}`}>
        {(v) => v.versions.length === 0 ? <Empty>No versions kept.</Empty> : (
          <ol className="list">
            {v.versions.map((k) => <VersionRow key={k.version} path={path} version={k.version} createdAt={k.createdAt} current={k.version === v.currentVersion} isAdmin={isAdmin} />)}
          </ol>
        )}
      </QueryView>
    </div>
  )
}

function VersionRow({ path, version, createdAt, current, isAdmin }: { path: string; version: number; createdAt: string; current: boolean; isAdmin: boolean }) {
  const { api, tenant } = useSession()
  const [shown, setShown] = useState<Record<string, string>>()
  const reveal = useMutation({
    mutationFn: () => ok(api.GET('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path }, query: { version } } })),
    onSuccess: (v) => setShown(v.data),
  })
  return (
    <li>
      Version {version}{current ? ' (current)' : ''} <span className="muted">written {formatTime(createdAt)}</span>
      {isAdmin && (
        <span className="actions">
          {shown
            ? <button type="button" onClick={() => setShown(undefined)} aria-label={`Hide version ${version} of ${path}`}>Hide</button>
            : <button type="button" onClick={() => reveal.mutate()} aria-label={`Reveal version ${version} of ${path}`}>Reveal</button>}
        </span>
      )}
      {shown && (
        <dl className="facts secret">
          {Object.entries(shown).map(([k, val]) => <div key={k}><dt>{k}</dt><dd><code>{val}</code></dd></div>)}
        </dl>
      )}
      <ErrorNote error={reveal.error} />
    </li>
  )
}

function WriteValue() {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [path, setPath] = useState('')
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const write = useMutation({
    mutationFn: () => ok(api.PUT('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path } }, body: { data: { [key]: value } } })),
    onSuccess: () => {
      setValue('')
      void qc.invalidateQueries({ queryKey: ['vault', tenant] })
      void qc.invalidateQueries({ queryKey: ['vault-versions', tenant] })
      void qc.invalidateQueries({ queryKey: ['secrets', tenant] })
    },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); write.mutate() }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-write">
      <h2 id="h-write">Write a value</h2>
      <p className="muted">Writes a new version holding this one key.</p>
      <div className="row">
        <Field label="Path"><input required value={path} onChange={(e) => setPath(e.target.value)} placeholder="production/db" /></Field>
        <Field label="Key"><input required value={key} onChange={(e) => setKey(e.target.value)} placeholder="password" /></Field>
        <Field label="Value"><input required type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} /></Field>
      </div>
      <button type="submit" disabled={write.isPending}>Write</button>
      {write.data && <p role="status">Wrote {write.data.path} version {write.data.version}.</p>}
      <ErrorNote error={write.error} />
    </form>
  )
}
