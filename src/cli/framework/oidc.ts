import * as oauth from 'oauth4webapi'
import { CliError, notLoggedIn, unavailable, usageError, waitTimeout } from './errors.js'
import type { Io } from './io.js'
import type { OidcCredential } from './settings.js'

/** What the server announces at /console/config.json (decision 0027): its issuer and our client. */
export interface OidcServerConfig {
  issuer: string
  clientId: string
  scope: string
}

/** RFC 8628 §3.5: without an `interval` from the issuer, poll every 5 s; `slow_down` adds 5 s. */
const DEFAULT_INTERVAL_S = 5
const SLOW_DOWN_S = 5
/** Renew an ID token this long before it expires, when a refresh token allows it. */
const RENEW_BEFORE_MS = 60_000
const TIMEOUT_MS = 10_000

const again = 'run `kupe auth login --oidc` again'

/** The same rule as the server's KUPE_OIDC_ISSUER: https, or plain http on the loopback only. */
function httpOptions(issuer: string): { [oauth.allowInsecureRequests]: boolean; signal: () => AbortSignal } {
  const { protocol, hostname } = new URL(issuer)
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]'
  return { [oauth.allowInsecureRequests]: protocol === 'http:' && loopback, signal: () => AbortSignal.timeout(TIMEOUT_MS) }
}

/** Reads the issuer and client id from the server, so the user names neither. */
export async function fetchOidcConfig(apiUrl: string): Promise<OidcServerConfig> {
  const url = `${apiUrl}/console/config.json`
  let res: Response
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (err) {
    throw unavailable(`cannot reach ${apiUrl}: ${messageOf(err)}`)
  }
  if (!res.ok) throw unavailable(`${url} answered HTTP ${res.status}`)
  const oidc = ((await res.json()) as { oidc?: Partial<OidcServerConfig> }).oidc
  if (!oidc?.issuer || !oidc.clientId) {
    throw usageError(`the server at ${apiUrl} has no OpenID issuer (KUPE_OIDC_ISSUER is not set): log in with an API key instead`)
  }
  return { issuer: oidc.issuer, clientId: oidc.clientId, scope: oidc.scope ?? 'openid email' }
}

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer)
  try {
    return await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm: 'oidc', ...httpOptions(issuer) }))
  } catch (err) {
    throw unavailable(`OpenID discovery at ${issuer} failed: ${messageOf(err)}`)
  }
}

/** Asks for `offline_access` (a refresh token) only from an issuer that says it supports it. */
function scopeFor(scope: string, as: oauth.AuthorizationServer): string {
  const scopes = new Set(scope.split(' ').filter(Boolean))
  if (as.scopes_supported?.includes('offline_access')) scopes.add('offline_access')
  return [...scopes].join(' ')
}

/**
 * The device authorization grant (RFC 8628) with oauth4webapi: asks the issuer for a user code,
 * shows it on stderr, and polls the token endpoint at the issuer's interval until the person
 * confirms it in a browser, denies it, or the code expires. Tokens are never printed.
 */
export async function deviceLogin(config: OidcServerConfig, io: Io): Promise<OidcCredential> {
  const as = await discover(config.issuer)
  if (!as.device_authorization_endpoint) {
    throw usageError(`the issuer ${config.issuer} does not offer the device authorization grant (RFC 8628)`)
  }
  const client: oauth.Client = { client_id: config.clientId }
  const opts = httpOptions(config.issuer)
  const device = await issuerCall(async () =>
    oauth.processDeviceAuthorizationResponse(as, client,
      await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: scopeFor(config.scope, as) }, opts)))
  const deadline = io.now() + device.expires_in * 1000
  io.stderr.write(
    `To sign in, open ${device.verification_uri} and enter the code ${device.user_code}\n` +
    (device.verification_uri_complete ? `  (or open ${device.verification_uri_complete})\n` : '') +
    `Waiting for you to confirm it (the code expires in ${device.expires_in >= 120 ? `${Math.round(device.expires_in / 60)} min` : `${device.expires_in} s`})…\n`,
  )
  let interval = (device.interval ?? DEFAULT_INTERVAL_S) * 1000
  const expired = waitTimeout(`the code ${device.user_code} expired before it was confirmed: ${again}`)
  for (;;) {
    await io.sleep(interval)
    if (io.now() >= deadline) throw expired
    try {
      const tokens = await oauth.processDeviceCodeResponse(as, client,
        await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, opts))
      return credentialOf(config, tokens)
    } catch (err) {
      if (!(err instanceof oauth.ResponseBodyError)) throw issuerError(err)
      if (err.error === 'authorization_pending') continue
      if (err.error === 'slow_down') {
        interval += SLOW_DOWN_S * 1000
        continue
      }
      if (err.error === 'expired_token') throw expired
      if (err.error === 'access_denied') throw notLoggedIn('sign-in was denied at the issuer (access_denied); nothing was saved')
      throw issuerError(err)
    }
  }
}

/** The stored form of a token response; refuses one that cannot be a Kupe bearer. */
function credentialOf(config: Pick<OidcServerConfig, 'issuer' | 'clientId'>, tokens: oauth.TokenEndpointResponse): OidcCredential {
  const claims = oauth.getValidatedIdTokenClaims(tokens)
  if (!tokens.id_token || !claims) throw notLoggedIn(`the issuer ${config.issuer} returned no ID token`)
  if (typeof claims.email !== 'string' || claims.email_verified !== true) {
    throw notLoggedIn('the issuer\'s ID token carries no verified email; Kupe members are known by a verified email')
  }
  return {
    issuer: config.issuer,
    clientId: config.clientId,
    email: claims.email.toLowerCase(),
    idToken: tokens.id_token,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  }
}

/** Renews the ID token with the refresh token (refresh_token grant; the issuer may rotate it). */
async function refresh(cred: OidcCredential & { refreshToken: string }): Promise<OidcCredential> {
  const as = await discover(cred.issuer)
  const client: oauth.Client = { client_id: cred.clientId }
  const tokens = await issuerCall(async () =>
    oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), cred.refreshToken, httpOptions(cred.issuer))))
  const next = credentialOf(cred, tokens)
  if (next.email !== cred.email) throw notLoggedIn(`the renewed token names ${next.email}, not ${cred.email}: ${again}`)
  return { ...next, refreshToken: next.refreshToken ?? cred.refreshToken }
}

/**
 * The bearer for a saved member sign-in: the ID token while it is valid, renewed through the
 * refresh token shortly before it expires (and saved), else a clear "sign in again" error.
 * Renews at most once per call of this function: the session makes one per process.
 */
export function oidcBearer(cred: OidcCredential, io: Pick<Io, 'now'>, save: (next: OidcCredential) => void): () => Promise<string> {
  let current: Promise<OidcCredential> | undefined
  const valid = async (): Promise<OidcCredential> => {
    const left = Date.parse(cred.expiresAt) - io.now()
    if (left > RENEW_BEFORE_MS) return cred
    if (cred.refreshToken) {
      try {
        const next = await refresh({ ...cred, refreshToken: cred.refreshToken })
        save(next)
        return next
      } catch (err) {
        if (left > 0) return cred
        throw notLoggedIn(`the sign-in of ${cred.email} expired and could not be renewed (${messageOf(err)}): ${again}`)
      }
    }
    if (left > 0) return cred
    throw notLoggedIn(`the sign-in of ${cred.email} expired at ${cred.expiresAt}: ${again}`)
  }
  return async () => (await (current ??= valid())).idToken
}

async function issuerCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw issuerError(err)
  }
}

/** The issuer's own error code and description; never a token. */
function issuerError(err: unknown): CliError {
  if (err instanceof CliError) return err
  if (err instanceof oauth.ResponseBodyError && err.error === 'unauthorized_client') {
    return notLoggedIn('the issuer does not let Kupe\'s client use this grant (unauthorized_client): allow it the device code ' +
      '(urn:ietf:params:oauth:grant-type:device_code) and refresh token grants at the issuer')
  }
  if (err instanceof oauth.ResponseBodyError) {
    return notLoggedIn(`the issuer refused: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`)
  }
  if (err instanceof oauth.OperationProcessingError) return notLoggedIn(`the issuer's answer was not accepted: ${err.message}`)
  return unavailable(`the issuer could not be reached: ${messageOf(err)}`)
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
