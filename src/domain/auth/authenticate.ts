import { timingSafeEqual } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { equalsKnownSecret } from '../../lib/constant-time-equal.js'
import { sharedSlot } from '../../lib/shared-value.js'
import { findApiKeyWithTenant } from '../../store/api-keys.js'
import { findMember } from '../../store/members.js'
import { findTenantByName } from '../../store/tenants.js'
import { parseToken } from '../apikeys/token-format.js'
import type { TenantRow } from '../../store/db.js'
import { LAST_USED_RESOLUTION_MS } from '../apikeys/key-use-stamps.js'
import { looksLikeJwt, verifyJwt } from './jwt.js'
import type { Principal } from './principal.js'

export interface Authenticated {
  principal: Principal
  /** The API key's tenant (absent for the platform admin). */
  tenant?: TenantRow
}

type Deps = Pick<DomainDeps, 'db' | 'readCache' | 'clock' | 'keyUses' | 'keys' | 'adminToken' | 'config' | 'oidc'>

/**
 * When this process last stamped a key's use (spec §1.4), beside the cached row it read: a
 * reloaded row stamps once more, and the statement itself skips a stamp under a minute old.
 */
const stampedAt = sharedSlot<number>('key use stamped at')

/**
 * The token that matched a key row's HMAC, held (in memory only) beside that cached, frozen row
 * and gone with it: a repeated request is a constant-time comparison instead of the keyed HMAC.
 * Only one token can match a key's HMAC, so the check is exactly as strict.
 */
const verifiedTokens = sharedSlot<Buffer>('verified token')

function tokenMatches(keys: Deps['keys'], token: string, row: { key_hmac: string }): boolean {
  const presented = Buffer.from(token)
  const known = verifiedTokens.get(row)
  // Both have the token format's fixed length (parseToken checked it), a public fact: the
  // comparison needs no hashing to equal lengths first.
  if (known) return known.length === presented.length && timingSafeEqual(known, presented)
  if (!keys.hmacEquals(token, row.key_hmac)) return false
  verifiedTokens.set(row, presented)
  return true
}

/** The bearer token of an Authorization header (scheme case-insensitive), if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^bearer +(\S+) *$/i.exec(header)
  return m?.[1]
}

/**
 * A member sign-in token (spec §2.2, decision 0027) on a tenant route: the verified email must be
 * a current member of the tenant in the path, whose role (read now, not from the token) is the
 * principal's. A valid token of a non-member is a member of nothing: 403 like any other caller.
 */
async function authenticateMember(deps: Deps, oidc: NonNullable<Deps['oidc']>, token: string, tenantName: string | undefined): Promise<Authenticated | undefined> {
  const identity = await oidc.verify(token, deps.clock.now())
  if (!identity) return undefined
  const tenant = tenantName === undefined ? undefined : await deps.readCache.read(`oidc-tenant:${tenantName}`, ['tenants'], () => findTenantByName(deps.db, tenantName))
  const member = tenant && (await deps.readCache.read(`oidc-member:${tenant.id}:${identity.email}`, ['members'], () => findMember(deps.db, tenant.id, identity.email)))
  const principal: Principal = {
    kind: 'member', id: identity.email, email: identity.email, tenantId: tenant?.id ?? '', tenantName: tenant?.name ?? '', role: member?.role ?? 'readonly', expiresAt: identity.expiresAt,
  }
  return member && tenant ? { principal, tenant } : { principal }
}

/**
 * Resolves a bearer token to a principal: an API key that is well formed, known, HMAC-equal, not
 * revoked and not expired; a member sign-in JWT from the configured OpenID issuer (for the
 * tenant named in the path); a manager-API JWT when a signing key is configured (seed 004); or
 * the platform admin token. Anything else is undefined (→ 401).
 */
export async function authenticate(deps: Deps, token: string, tenantName?: string): Promise<Authenticated | undefined> {
  const hex = parseToken('kupe', token)
  if (!hex) {
    if (deps.oidc && looksLikeJwt(token) && deps.oidc.claims(token)) return authenticateMember(deps, deps.oidc, token, tenantName)
    const jwtKey = deps.config.kubeop.jwtSigningKey
    if (jwtKey && looksLikeJwt(token)) {
      const principal = await verifyJwt(jwtKey, token, deps.clock.now())
      return principal && { principal }
    }
    return equalsKnownSecret(token, deps.adminToken) ? { principal: { kind: 'platform-admin', id: 'platform-admin' } } : undefined
  }
  const id = `ak-${hex}`
  const row = await deps.readCache.read(`apikey:${id}`, ['api_keys', 'tenants'], () => findApiKeyWithTenant(deps.db, id), (r) => r.tenant_id)
  if (!row || !tokenMatches(deps.keys, token, row)) return undefined
  const now = deps.clock.now()
  if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now.getTime())) return undefined
  const stamped = stampedAt.get(row)
  if (stamped === undefined || now.getTime() - stamped >= LAST_USED_RESOLUTION_MS) {
    stampedAt.set(row, now.getTime())
    // Written with other keys' uses a moment later, in their own table: the request does not
    // wait for it and the cached key row stays (decisions 0038, 0039).
    deps.keyUses.note(row.id, now)
  }
  return {
    principal: {
      kind: 'apikey',
      id: `apikey:${row.id}`,
      keyId: row.id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      role: row.role,
      createdBy: row.created_by,
      expiresAt: row.expires_at,
    },
    // The key's tenant, read in the same round trip: the hot path of every tenant request.
    tenant: {
      id: row.tenant_id,
      name: row.tenant_name,
      display_name: row.tenant_display_name,
      contact_email: row.tenant_contact_email,
      plan: row.tenant_plan,
      enforce_metrics_limit: row.tenant_enforce_metrics_limit,
      enforce_log_limit: row.tenant_enforce_log_limit,
      phase: row.tenant_phase,
      resource_version: row.tenant_resource_version,
      created_at: row.tenant_created_at,
      host_cluster_id: row.tenant_host_cluster_id,
      quota: row.tenant_quota,
    },
  }
}
