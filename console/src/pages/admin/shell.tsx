import { useState, type FormEvent } from 'react'
import { Link, Redirect, Route, Switch, useLocation } from 'wouter'
import { createApi, ok, type Api } from '../../api.js'
import { AdminContext, type AdminSession } from '../../admin-session.js'
import { ErrorNote, Field, TopBar } from '../../ui.js'
import { HostClusterDetailPage, HostClustersPage } from './host-clusters.js'
import { AdminTenantPage, AdminTenantsPage } from './tenants.js'

const NAV = [
  ['/admin/tenants', 'Tenants'],
  ['/admin/clusters', 'Host clusters'],
] as const

/** The platform admin area under /admin: its own sign-in with the admin token, its own views. */
export function AdminArea() {
  const [api, setApi] = useState<Api>()
  const [location, navigate] = useLocation()
  if (!api) return <AdminSignIn onSignedIn={(a) => { setApi(a); if (location === '/admin') navigate('/admin/tenants', { replace: true }) }} />
  const session: AdminSession = { api, signOut: () => { setApi(undefined); navigate('/admin') } }
  return (
    <AdminContext.Provider value={session}>
      <TopBar brand="Kupe admin" nav={NAV} location={location} who="platform admin" onSignOut={session.signOut} />
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/admin/tenants"><AdminTenantsPage /></Route>
          <Route path="/admin/tenants/:name">{(p) => <AdminTenantPage name={decodeURIComponent(p.name)} />}</Route>
          <Route path="/admin/clusters"><HostClustersPage /></Route>
          <Route path="/admin/clusters/:id">{(p) => <HostClusterDetailPage id={decodeURIComponent(p.id)} />}</Route>
          <Route><Redirect to="/admin/tenants" /></Route>
        </Switch>
      </main>
    </AdminContext.Provider>
  )
}

/** Checks the token with an admin-only read before anything is shown. */
function AdminSignIn({ onSignedIn }: { onSignedIn: (api: Api) => void }) {
  const [token, setToken] = useState('')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const api = createApi(token)
      await ok(api.GET('/api/v1/admin/tenants', { params: { query: { limit: 1 } } }))
      onSignedIn(api)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return (
    <main className="signin" id="main">
      <h1>Platform admin sign-in</h1>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <Field label="Admin token"><input required type="password" name="admintoken" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} /></Field>
        <button type="submit" disabled={busy}>Sign in as platform admin</button>
        <p className="muted">The token stays in this tab&apos;s memory only: reloading the page signs you out.</p>
        <ErrorNote error={error} />
      </form>
      <p><Link href="/signin">Tenant sign-in</Link></p>
    </main>
  )
}
