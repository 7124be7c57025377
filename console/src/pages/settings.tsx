import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ApiError, ok, type Schemas } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ErrorNote, Field, formatTime, Phase, QueryView } from '../ui.js'

type Settings = Pick<Schemas['Tenant'], 'plan' | 'enforceMetricsLimit' | 'enforceLogLimit'>

/**
 * The tenant's settings and plan (`GET/PATCH /tenants/{tenant}`). A change is sent with If-Match
 * set to the ETag the form was opened on, so a change made meanwhile by someone else is refused
 * (412) and explained, never overwritten. A readonly member sees the settings and no control.
 */
export function SettingsPage() {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const current = useQuery({
    queryKey: ['tenant-settings', tenant],
    queryFn: async () => {
      const r = api.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } })
      const body = await ok(r)
      return { tenant: body, etag: (await r).response.headers.get('etag') ?? '' }
    },
    // The form stays on the version it was opened on: a change made elsewhere shows up as a 412
    // when saving, not as values silently swapped under the person editing.
    refetchOnWindowFocus: false,
  })
  const [saved, setSaved] = useState(false)
  return (
    <section aria-labelledby="h-settings">
      <h1 id="h-settings">Tenant settings</h1>
      <QueryView query={current} what="the tenant">
        {({ tenant: t, etag }) => (
          <>
            <dl className="facts">
              <dt>Name</dt><dd>{t.name}</dd>
              <dt>Display name</dt><dd>{t.displayName}</dd>
              <dt>Contact</dt><dd>{t.contactEmail}</dd>
              <dt>Phase</dt><dd><Phase phase={t.status.phase} /></dd>
              <dt>Clusters</dt><dd>{t.status.clusterCount}</dd>
              <dt>Created</dt><dd>{formatTime(t.createdAt)}</dd>
            </dl>
            {saved && <p role="status">Settings saved.</p>}
            {isAdmin
              ? <SettingsForm key={etag} settings={t} etag={etag} onSaved={setSaved} />
              : (
                <dl className="facts" aria-label="Settings">
                  <dt>Plan</dt><dd>{t.plan}</dd>
                  <dt>Enforce metrics limit</dt><dd>{t.enforceMetricsLimit ? 'yes' : 'no'}</dd>
                  <dt>Enforce log limit</dt><dd>{t.enforceLogLimit ? 'yes' : 'no'}</dd>
                </dl>
              )}
          </>
        )}
      </QueryView>
    </section>
  )
}

function SettingsForm({ settings, etag, onSaved }: { settings: Settings; etag: string; onSaved: (saved: boolean) => void }) {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => ok(api.GET('/api/v1/plans')) })
  const [plan, setPlan] = useState(settings.plan)
  const [metrics, setMetrics] = useState(settings.enforceMetricsLimit)
  const [logs, setLogs] = useState(settings.enforceLogLimit)
  const save = useMutation({
    mutationFn: () => ok(api.PATCH('/api/v1/tenants/{tenant}', {
      params: { path: { tenant } },
      headers: { 'if-match': etag },
      body: { plan, enforceMetricsLimit: metrics, enforceLogLimit: logs },
    })),
    onMutate: () => onSaved(false),
    onSuccess: () => {
      onSaved(true)
      void qc.invalidateQueries({ queryKey: ['tenant-settings', tenant] })
      void qc.invalidateQueries({ queryKey: ['tenant', tenant] })
    },
    // A refusal about the tenant's state (its clusters exceed the plan) is shown beside facts
    // read again, so the counts it is about are the current ones.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400) void qc.invalidateQueries({ queryKey: ['tenant-settings', tenant] })
    },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate() }
  const conflict = save.error instanceof ApiError && save.error.status === 412 ? save.error : undefined
  const reload = () => { save.reset(); void qc.invalidateQueries({ queryKey: ['tenant-settings', tenant] }) }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-settings-form">
      <h2 id="h-settings-form">Plan and limits</h2>
      <div className="row">
        <Field label="Plan">
          <select value={plan} onChange={(e) => setPlan(e.target.value)}>
            {(plans.data?.items ?? [{ name: settings.plan, displayName: settings.plan }]).map((p) => <option key={p.name} value={p.name}>{p.displayName}</option>)}
          </select>
        </Field>
      </div>
      <label className="check"><input type="checkbox" checked={metrics} onChange={(e) => setMetrics(e.target.checked)} /> Enforce the metrics limit</label>
      <label className="check"><input type="checkbox" checked={logs} onChange={(e) => setLogs(e.target.checked)} /> Enforce the log limit</label>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>Save settings</button>
      </div>
      {conflict
        ? (
          <div role="alert">
            <p className="error">{conflict.message}: the settings were changed by someone else after you opened this page. Nothing was saved.</p>
            <button type="button" onClick={reload}>Load the current settings</button>
          </div>
        )
        : <ErrorNote error={save.error} />}
      <ErrorNote error={plans.error} />
    </form>
  )
}
