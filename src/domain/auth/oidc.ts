import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose'
import type { Config } from '../../config.js'

/** A person's identity proven by a token from the configured OpenID Connect issuer. */
export interface OidcIdentity {
  email: string
  expiresAt: Date
}

/** Verifies bearer JWTs from one OpenID Connect issuer (spec §2.2 member sign-in, decision 0027). */
export interface OidcVerifier {
  /** True when the token says it comes from this issuer (unverified: only to choose the verifier). */
  claims(token: string): boolean
  /** The verified identity, or undefined for any token that does not pass (→ 401). */
  verify(token: string, now: Date): Promise<OidcIdentity | undefined>
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/**
 * A verifier for `config.oidc`: the issuer's discovery document gives its `jwks_uri`, and jose's
 * remote key set fetches, caches and refreshes the keys (a new `kid` triggers a refetch). A token
 * passes with a signature by one of those keys (asymmetric algorithms only, so a shared-secret
 * or `none` token never does), the exact `iss`, the configured audience in `aud`, `exp` in the
 * future (30 s of clock skew), and a verified `email` claim. Discovery failures are retried on
 * the next request rather than remembered.
 */
export function createOidcVerifier(oidc: NonNullable<Config['oidc']>, fetcher: typeof fetch = fetch): OidcVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
    const res = await fetcher(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) })
    if (!res.ok) throw new Error(`OpenID discovery at ${url} answered ${res.status}`)
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown }
    if (doc.issuer !== oidc.issuer) throw new Error(`OpenID discovery names issuer ${String(doc.issuer)}, not ${oidc.issuer}`)
    if (typeof doc.jwks_uri !== 'string') throw new Error('OpenID discovery has no jwks_uri')
    return createRemoteJWKSet(new URL(doc.jwks_uri))
  }
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= discover().catch((err: unknown) => {
      keys = undefined
      throw err
    })
    return keys
  }
  return {
    claims(token) {
      try {
        return decodeJwt(token).iss === oidc.issuer
      } catch {
        return false
      }
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, await keySet(), {
          issuer: oidc.issuer, audience: oidc.audience, algorithms: ASYMMETRIC, requiredClaims: ['exp'], currentDate: now, clockTolerance: 30,
        })
        if (payload.email_verified !== true || typeof payload.email !== 'string' || !payload.email.includes('@')) return undefined
        return { email: payload.email.toLowerCase(), expiresAt: new Date((payload.exp ?? 0) * 1000) }
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) return undefined
        throw err
      }
    },
  }
}
