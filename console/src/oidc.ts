import * as oauth from 'oauth4webapi'
import type { ConsoleConfig } from './api.js'

type Oidc = NonNullable<ConsoleConfig['oidc']>

/**
 * Authorization code + PKCE (oauth4webapi). Only the one-time verifier, state and nonce cross the
 * redirect, in sessionStorage, and are removed on return; tokens stay in memory (decision 0026).
 */
const PENDING = 'kupe-oidc-pending'

interface Pending {
  verifier: string
  state: string
  nonce: string
  tenant: string
  returnTo: string
}

const redirectUri = (): string => `${window.location.origin}/signin/callback`

async function discover(oidc: Oidc): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(oidc.issuer)
  const res = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: insecureOk(oidc) })
  return oauth.processDiscoveryResponse(issuer, res)
}

const insecureOk = (oidc: Oidc) => {
  const h = new URL(oidc.issuer).hostname
  return h === '127.0.0.1' || h === 'localhost'
}

/** Sends the browser to the issuer's authorization endpoint. */
export async function startSignIn(oidc: Oidc, tenant: string, returnTo: string): Promise<void> {
  const as = await discover(oidc)
  if (!as.authorization_endpoint) throw new Error('The issuer has no authorization endpoint')
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), tenant, returnTo,
  }
  const url = new URL(as.authorization_endpoint)
  url.searchParams.set('client_id', oidc.clientId)
  url.searchParams.set('redirect_uri', redirectUri())
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('scope', oidc.scope)
  url.searchParams.set('state', pending.state)
  url.searchParams.set('nonce', pending.nonce)
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier))
  url.searchParams.set('code_challenge_method', 'S256')
  sessionStorage.setItem(PENDING, JSON.stringify(pending))
  window.location.assign(url.href)
}

/**
 * Ends the person's session at the issuer too (RP-initiated logout), so that the next "Sign in
 * with single sign-on" asks who they are instead of signing the same person straight back in:
 * the browser goes to the issuer's end-session endpoint and comes back to `/signin`. False when
 * the issuer offers no such endpoint.
 */
export async function startSignOut(oidc: Oidc, idToken: string): Promise<boolean> {
  const as = await discover(oidc)
  if (!as.end_session_endpoint) return false
  const url = new URL(as.end_session_endpoint)
  url.searchParams.set('client_id', oidc.clientId)
  url.searchParams.set('id_token_hint', idToken)
  url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}/signin`)
  window.location.assign(url.href)
  return true
}

/** Back from the issuer: exchanges the code for an ID token, the console's bearer for the API. */
export async function finishSignIn(oidc: Oidc): Promise<{ token: string; email: string; tenant: string; returnTo: string }> {
  const raw = sessionStorage.getItem(PENDING)
  sessionStorage.removeItem(PENDING)
  if (!raw) throw new Error('No sign-in was in progress; start again')
  const pending = JSON.parse(raw) as Pending
  const as = await discover(oidc)
  const client: oauth.Client = { client_id: oidc.clientId }
  const params = oauth.validateAuthResponse(as, client, new URL(window.location.href), pending.state)
  const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier, {
    [oauth.allowInsecureRequests]: insecureOk(oidc),
  })
  const result = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: pending.nonce, requireIdToken: true })
  const claims = oauth.getValidatedIdTokenClaims(result)
  if (!result.id_token || !claims) throw new Error('The issuer returned no ID token')
  const email = typeof claims.email === 'string' ? claims.email : ''
  return { token: result.id_token, email, tenant: pending.tenant, returnTo: pending.returnTo }
}
