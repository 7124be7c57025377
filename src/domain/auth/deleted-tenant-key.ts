import { findDeletedTenantKey } from '../../store/deleted-tenant-keys.js'
import { findTenantByName } from '../../store/tenants.js'
import { parseToken } from '../apikeys/token-format.js'
import type { DomainDeps } from '../deps.js'
import { DELETED_TENANT_KEY_DAYS } from '../tenants/tenant-deletion.js'

/**
 * Whether `token` is an API key of the tenant `tenantName` that was deleted within the day, and
 * no tenant of that name exists again: such a key, on that tenant's routes, learns "Tenant not
 * found" (404), which is what a client polling for the end of a deletion waits for (the Kupe
 * CLI's `tenant delete --wait`). Checked only after authentication failed; the key must match
 * its stored HMAC, so nobody learns anything about a tenant whose key they do not hold.
 */
export async function isKeyOfDeletedTenant(deps: Pick<DomainDeps, 'db' | 'clock' | 'keys'>, token: string, tenantName: string): Promise<boolean> {
  const hex = parseToken('kupe', token)
  if (!hex) return false
  const notBefore = new Date(deps.clock.now().getTime() - DELETED_TENANT_KEY_DAYS * 86_400_000)
  const row = await findDeletedTenantKey(deps.db, `ak-${hex}`, notBefore)
  if (!row || row.tenant_name !== tenantName || !deps.keys.hmacEquals(token, row.key_hmac)) return false
  return (await findTenantByName(deps.db, tenantName)) === undefined
}
