import { useState } from 'react'
import { Redirect, Route, Switch, useLocation } from 'wouter'
import { TopBar } from './ui.js'
import { AdminArea } from './pages/admin/shell.js'
import { ApiKeysPage } from './pages/apikeys.js'
import { ClusterDetailPage } from './pages/cluster-detail.js'
import { ClustersPage } from './pages/clusters.js'
import { InvoicesPage } from './pages/invoices.js'
import { MembersPage } from './pages/members.js'
import { PlansPage } from './pages/plans.js'
import { SecretsPage } from './pages/secrets.js'
import { SettingsPage } from './pages/settings.js'
import { VaultPage } from './pages/vault.js'
import { useConsoleConfig } from './config-context.js'
import { startSignOut } from './oidc.js'
import { SessionContext, type Session } from './session.js'
import { CallbackPage, SignInPage, type SignedIn } from './signin.js'

/** Every view has its own URL; the order is the order of the navigation. */
const NAV = [
  ['/clusters', 'Clusters'],
  ['/secrets', 'Secrets'],
  ['/vault', 'Vault'],
  ['/apikeys', 'API keys'],
  ['/members', 'Members'],
  ['/invoices', 'Invoices'],
  ['/plans', 'Plans'],
  ['/settings', 'Settings'],
] as const

export function App() {
  const { oidc } = useConsoleConfig()
  const [session, setSession] = useState<SignedIn>()
  const [location, navigate] = useLocation()
  const signedIn = (s: SignedIn, returnTo: string) => {
    setSession(s)
    navigate(returnTo.startsWith('/') && !returnTo.startsWith('/signin') ? returnTo : '/clusters', { replace: true })
  }
  // The platform admin area has its own sign-in (the admin token) and its own session.
  if (location === '/admin' || location.startsWith('/admin/')) return <AdminArea />
  if (location === '/signin/callback') return <CallbackPage onSignedIn={signedIn} />
  if (!session) return <SignInPage onSignedIn={signedIn} returnTo={location === '/' || location === '/signin' ? '/clusters' : location} />
  const signOut = () => {
    setSession(undefined)
    const { identity } = session
    if (identity.kind !== 'oidc' || !oidc) return navigate('/signin')
    // Signed in through the issuer: end that session there too, back to /signin afterwards.
    startSignOut(oidc, identity.idToken).then((away) => { if (!away) navigate('/signin') }, () => navigate('/signin'))
  }
  const value: Session = { ...session, signOut }
  const who = session.identity.kind === 'oidc' ? session.identity.email : session.identity.keyId ?? 'API key'
  return (
    <SessionContext.Provider value={value}>
      <TopBar brand="Kupe" nav={NAV} location={location} who={`${session.tenant} · ${who} · ${session.role}`} onSignOut={value.signOut} />
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/clusters"><ClustersPage /></Route>
          <Route path="/clusters/:name">{(p) => <ClusterDetailPage name={decodeURIComponent(p.name)} />}</Route>
          <Route path="/secrets"><SecretsPage /></Route>
          <Route path="/vault"><VaultPage /></Route>
          <Route path="/apikeys"><ApiKeysPage /></Route>
          <Route path="/members"><MembersPage /></Route>
          <Route path="/invoices"><InvoicesPage /></Route>
          <Route path="/plans"><PlansPage /></Route>
          <Route path="/settings"><SettingsPage /></Route>
          <Route><Redirect to="/clusters" /></Route>
        </Switch>
      </main>
    </SessionContext.Provider>
  )
}
