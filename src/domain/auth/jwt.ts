import { errors as joseErrors, jwtVerify } from 'jose'
import type { Principal } from './principal.js'

/** A bearer token shaped like a JWT (three base64url parts); anything else is not tried as one. */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)

const SCOPE = /^(tenant|project):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

/**
 * Verifies a manager-API JWT (seed 004): HS256 only (the header's `alg` must say so, so `none`
 * or a public-key algorithm never passes), a valid signature, `exp` present and in the future,
 * `nbf`/`iat` not in the future (with 30 s of clock skew), and a `role` claim. `admin` acts as the
 * platform admin; `tenant` and `project` need a matching `scope` (`tenant:<uuid>`). Anything
 * else is undefined (→ 401), never an exception.
 */
export async function verifyJwt(key: Buffer, token: string, now: Date): Promise<Principal | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'role'],
      currentDate: now,
      clockTolerance: 30,
    })
    const subject = typeof payload.sub === 'string' && payload.sub ? payload.sub : 'unknown'
    if (payload.role === 'admin') return { kind: 'platform-admin', id: `jwt:${subject}` }
    if (payload.role !== 'tenant' && payload.role !== 'project') return undefined
    const m = typeof payload.scope === 'string' ? SCOPE.exec(payload.scope) : null
    if (!m || m[1] !== payload.role) return undefined
    return { kind: 'scoped', id: `jwt:${subject}`, role: payload.role, scopeId: m[2]! }
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined
    throw err
  }
}
