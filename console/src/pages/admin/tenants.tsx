import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'wouter'
import { ok } from '../../api.js'
import { useAdmin } from '../../admin-session.js'
import { ConfirmButton, Empty, ErrorNote, Field, formatTime, Phase, QueryView, Table } from '../../ui.js'

/** Every tenant with its phase; suspend asks first, resume does not (it only gives writes back). */
export function AdminTenantsPage() {
  const { api } = useAdmin()
  const qc = useQueryClient()
  const tenants = useQuery({ queryKey: ['admin', 'tenants'], queryFn: () => ok(api.GET('/api/v1/admin/tenants', { params: { query: { limit: 100 } } })) })
  const setPhase = useMutation({
    mutationFn: ({ name, action }: { name: string; action: 'suspend' | 'resume' }) => action === 'suspend'
      ? ok(api.POST('/api/v1/admin/tenants/{name}/suspend', { params: { path: { name } } }))
      : ok(api.POST('/api/v1/admin/tenants/{name}/resume', { params: { path: { name } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ['admin', 'tenants'] }),
  })
  return (
    <section aria-labelledby="h-admin-tenants">
      <h1 id="h-admin-tenants">Tenants</h1>
      <ErrorNote error={setPhase.error} />
      <QueryView query={tenants} what="tenants">
        {(data) => data.items.length === 0 ? <Empty>No tenants yet.</Empty> : (
          <Table label="Tenants">
            <thead><tr><th scope="col">Tenant</th><th scope="col">Plan</th><th scope="col">Phase</th><th scope="col">Clusters</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.name}>
                  <td><Link href={`/admin/tenants/${encodeURIComponent(t.name)}`}>{t.name}</Link> <span className="muted">{t.displayName}</span></td>
                  <td>{t.plan}</td>
                  <td><Phase phase={t.status.phase} /></td>
                  <td>{t.status.clusterCount}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>
                    {t.status.phase === 'Active' && (
                      <ConfirmButton label="Suspend" question={`Suspend ${t.name}? Its members can still read, not write.`} busy={setPhase.isPending} onConfirm={() => setPhase.mutate({ name: t.name, action: 'suspend' })} />
                    )}
                    {t.status.phase === 'Suspended' && (
                      <button type="button" disabled={setPhase.isPending} onClick={() => setPhase.mutate({ name: t.name, action: 'resume' })}>Resume</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

/** One tenant: its facts, its credits (what remains of each) and a form to grant one. */
export function AdminTenantPage({ name }: { name: string }) {
  const { api } = useAdmin()
  const tenant = useQuery({ queryKey: ['admin', 'tenant', name], queryFn: () => ok(api.GET('/api/v1/admin/tenants/{name}', { params: { path: { name } } })) })
  const credits = useQuery({
    queryKey: ['admin', 'credits', name],
    queryFn: () => ok(api.GET('/api/v1/admin/tenants/{name}/credits', { params: { path: { name }, query: { limit: 100 } } })),
  })
  return (
    <section aria-labelledby="h-admin-tenant">
      <h1 id="h-admin-tenant">Tenant {name}</h1>
      <p><Link href="/admin/tenants">All tenants</Link></p>
      <QueryView query={tenant} what="the tenant">
        {(t) => (
          <dl className="facts">
            <dt>Display name</dt><dd>{t.displayName}</dd>
            <dt>Contact</dt><dd>{t.contactEmail}</dd>
            <dt>Plan</dt><dd>{t.plan}</dd>
            <dt>Phase</dt><dd><Phase phase={t.status.phase} /></dd>
            <dt>Clusters</dt><dd>{t.status.clusterCount}</dd>
            <dt>Members</dt><dd>{t.members.length}</dd>
          </dl>
        )}
      </QueryView>
      <GrantCredit name={name} />
      <h2>Credits</h2>
      <QueryView query={credits} what="credits">
        {(data) => data.items.length === 0 ? <Empty>No credits granted.</Empty> : (
          <Table label={`Credits of ${name}`}>
            <thead><tr><th scope="col">Granted</th><th scope="col">Remaining</th><th scope="col">Reason</th><th scope="col">Expires</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {data.items.map((k) => (
                <tr key={k.id}><td>{k.amount}</td><td>{k.remaining}</td><td>{k.reason}</td><td>{k.expiresAt ? formatTime(k.expiresAt) : 'never'}</td><td>{formatTime(k.createdAt)}</td></tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

function GrantCredit({ name }: { name: string }) {
  const { api } = useAdmin()
  const qc = useQueryClient()
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const grant = useMutation({
    // Money stays a decimal string ("20.00") end to end: the server checks it, nothing rounds it here.
    mutationFn: () => ok(api.POST('/api/v1/admin/tenants/{name}/credits', { params: { path: { name } }, body: { amount: amount.trim(), reason } })),
    onSuccess: () => { setAmount(''); setReason(''); void qc.invalidateQueries({ queryKey: ['admin', 'credits', name] }) },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); grant.mutate() }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-grant">
      <h2 id="h-grant">Grant a credit</h2>
      <div className="row">
        <Field label="Amount"><input required inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="20.00" size={10} /></Field>
        <Field label="Reason"><input required value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Goodwill for the outage" /></Field>
      </div>
      <button type="submit" disabled={grant.isPending}>Grant credit</button>
      {grant.data && <p role="status">Granted {grant.data.amount}.</p>}
      <ErrorNote error={grant.error} />
    </form>
  )
}
