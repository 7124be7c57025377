import { useEffect, useState, type FormEvent } from 'react'
import { Link } from 'wouter'
import { ApiError, createApi, ok } from './api.js'
import { useConsoleConfig } from './config-context.js'
import { finishSignIn, startSignIn } from './oidc.js'
import type { Session } from './session.js'
import { ErrorNote, Field } from './ui.js'

export type SignedIn = Omit<Session, 'signOut'>

/**
 * Checks a token against the tenant and learns the caller's role: any member may read the tenant;
 * only admins may list API keys, so 403 there means readonly.
 */
async function resolveSession(tenant: string, token: string, identity: Session['identity']): Promise<SignedIn> {
  const api = createApi(token)
  await ok(api.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } }))
  const probe = await api.GET('/api/v1/tenants/{tenant}/apikeys', { params: { path: { tenant }, query: { limit: 1 } } })
  if (!probe.response.ok && probe.response.status !== 403) await ok(Promise.resolve(probe))
  return { tenant, role: probe.response.ok ? 'admin' : 'readonly', identity, api }
}

const keyIdOf = (token: string): string | undefined => {
  const m = /^kupe_([0-9a-f]{8})_/.exec(token)
  return m ? `ak-${m[1]}` : undefined
}

export function SignInPage({ onSignedIn, returnTo }: { onSignedIn: (s: SignedIn, returnTo: string) => void; returnTo: string }) {
  const { oidc } = useConsoleConfig()
  const [tenant, setTenant] = useState('')
  const [key, setKey] = useState('')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  async function withKey(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      onSignedIn(await resolveSession(tenant, key, { kind: 'apikey', keyId: keyIdOf(key) }), returnTo)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  async function withSso() {
    setError(undefined)
    if (!tenant) return setError(new Error('Enter the tenant to sign in to'))
    try {
      if (oidc) await startSignIn(oidc, tenant, returnTo)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <main className="signin" id="main">
      <h1>Sign in to Kupe</h1>
      <form className="card" onSubmit={(e) => void withKey(e)}>
        <Field label="Tenant"><input required name="tenant" autoComplete="organization" value={tenant} onChange={(e) => setTenant(e.target.value)} /></Field>
        {oidc && (
          <div className="sso">
            <button type="button" onClick={() => void withSso()}>Sign in with single sign-on</button>
            <p className="muted">or with an API key:</p>
          </div>
        )}
        <Field label="API key"><input required type="password" name="apikey" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} /></Field>
        <button type="submit" disabled={busy}>Sign in with API key</button>
        <p className="muted">The key stays in this tab&apos;s memory only: reloading the page signs you out.</p>
        <ErrorNote error={error} />
      </form>
      <p><Link href="/admin">Platform admin sign-in</Link></p>
    </main>
  )
}

/** `/signin/callback`: the issuer sent the browser back with a code. */
export function CallbackPage({ onSignedIn }: { onSignedIn: (s: SignedIn, returnTo: string) => void }) {
  const { oidc } = useConsoleConfig()
  const [error, setError] = useState<unknown>()
  useEffect(() => {
    if (!oidc) return setError(new Error('Single sign-on is not configured on this server'))
    let cancelled = false
    finishSignIn(oidc)
      .then(async ({ token, email, tenant, returnTo }) => {
        const s = await resolveSession(tenant, token, { kind: 'oidc', email, idToken: token })
        if (!cancelled) onSignedIn(s, returnTo)
      })
      .catch((err: unknown) => { if (!cancelled) setError(err instanceof ApiError || err instanceof Error ? err : new Error(String(err))) })
    return () => { cancelled = true }
    // Runs once per visit of the callback URL; the code is single-use.
  }, [])
  return (
    <main className="signin" id="main">
      <h1>Signing in…</h1>
      <ErrorNote error={error} />
      {Boolean(error) && <a href="/signin">Back to sign-in</a>}
    </main>
  )
}
