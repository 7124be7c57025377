import type { DomainDeps } from '../deps.js'
import { constantTimeEqual } from '../../lib/constant-time-equal.js'
import { findApiKeyWithTenant, touchApiKey } from '../../store/api-keys.js'
import { parseToken } from '../apikeys/token-format.js'
import type { TenantRow } from '../../store/db.js'
import { withWriteScope } from '../../store/write-scope.js'
import { looksLikeJwt, verifyJwt } from './jwt.js'
import type { Principal } from './principal.js'

export interface Authenticated {
  principal: Principal
  /** The API key's tenant (absent for the platform admin). */
  tenant?: TenantRow
}

type Deps = Pick<DomainDeps, 'db' | 'readCache' | 'clock' | 'keys' | 'adminToken' | 'config'>

const LAST_USED_RESOLUTION_MS = 60_000

/**
 * The token that matched a key row's HMAC, held (in memory only) beside that cached, frozen row
 * and gone with it: a repeated request is a constant-time comparison instead of the keyed HMAC.
 * Only one token can match a key's HMAC, so the check is exactly as strict.
 */
const verifiedTokens = new WeakMap<object, Buffer>()

function tokenMatches(keys: Deps['keys'], token: string, row: { key_hmac: string }): boolean {
  const presented = Buffer.from(token)
  const known = verifiedTokens.get(row)
  if (known) return constantTimeEqual(known, presented)
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
 * Resolves a bearer token to a principal: an API key that is well formed, known, HMAC-equal, not
 * revoked and not expired; a manager-API JWT when a signing key is configured (seed 004); or
 * the platform admin token. Anything else is undefined (→ 401).
 */
export async function authenticate(deps: Deps, token: string): Promise<Authenticated | undefined> {
  const hex = parseToken('kupe', token)
  if (!hex) {
    const jwtKey = deps.config.kubeop.jwtSigningKey
    if (jwtKey && looksLikeJwt(token)) {
      const principal = await verifyJwt(jwtKey, token, deps.clock.now())
      return principal && { principal }
    }
    return constantTimeEqual(token, deps.adminToken) ? { principal: { kind: 'platform-admin', id: 'platform-admin' } } : undefined
  }
  const id = `ak-${hex}`
  const row = await deps.readCache.read(`apikey:${id}`, ['api_keys', 'tenants'], () => findApiKeyWithTenant(deps.db, id), (r) => r.tenant_id)
  if (!row || !tokenMatches(deps.keys, token, row)) return undefined
  const now = deps.clock.now()
  if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now.getTime())) return undefined
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    // This key's row alone: other tenants' cached keys stay (decision 0024).
    await withWriteScope(row.tenant_id, () => touchApiKey(deps.db, row.id, now))
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
