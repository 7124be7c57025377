import type { DomainDeps } from '../deps.js'
import { parseRfc3339, toRfc3339, truncateToSecond } from '../../lib/time.js'
import { countApiKeys, findApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.js'
import type { ApiKeyRow, Executor } from '../../store/db.js'
import { revokeCredentialsCreatedBy } from '../../store/credential-revocations.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import type { Role } from '../common/schema.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterCreatedAt, cachedList, pageOf } from '../common/cached-page.js'
import { createdCursor, createdKeyOf, decodeContinue, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { ApiKey, ApiKeyCreate, ApiKeyCreated } from './schema.js'
import { buildToken, newTokenId } from './token-format.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'signal'>

const MAX_KEYS = 500
const MAX_LIFETIME_MS = 730 * 24 * 3600 * 1000

/** A key as shown; `last_used_at` is the key's use stamp where the row was read with it (a list). */
export function apiKeyToApi(row: ApiKeyRow & { last_used_at?: Date | null }): ApiKey {
  return {
    id: row.id,
    displayName: row.display_name,
    role: row.role,
    createdBy: row.created_by,
    createdAt: toRfc3339(row.created_at),
    ...(row.expires_at ? { expiresAt: toRfc3339(row.expires_at) } : {}),
    ...(row.last_used_at ? { lastUsedAt: toRfc3339(row.last_used_at) } : {}),
  }
}

/** Creates a key row and returns it with the raw key (the only time it exists outside the caller). */
export async function issueApiKey(
  deps: Pick<DomainDeps, 'keys'>,
  db: Executor,
  input: { tenantId: string; displayName: string; role: Role; createdBy: string; now: Date; expiresAt?: Date },
): Promise<ApiKeyCreated> {
  for (;;) {
    const hex = newTokenId()
    if (await findApiKey(db, `ak-${hex}`)) continue // 1 in 4 billion; retry rather than fail
    const key = buildToken('kupe', hex)
    const row = await insertApiKey(db, {
      id: `ak-${hex}`, tenant_id: input.tenantId, display_name: input.displayName, role: input.role,
      // Whole seconds, as shown: the list is ordered by the createdAt clients see, then id (§1.4).
      created_by: input.createdBy, created_at: truncateToSecond(input.now), expires_at: input.expiresAt ?? null,
      revoked_at: null, key_hmac: deps.keys.hmac(key),
    })
    return { ...apiKeyToApi(row), key }
  }
}

const LIST_TABLES: readonly CachedTable[] = ['api_keys', 'api_key_usage', 'tenants']

/** GET …/apikeys: the whole list from the read cache when it can be (decision 0008), then the page. */
export async function listTenantApiKeys(deps: Pick<DomainDeps, 'db' | 'readCache' | 'keyUses'>, ctx: TenantContext, page: Page): Promise<ListResult<ApiKey>> {
  // The uses this server served are written before they are read (decision 0039).
  await deps.keyUses.flush()
  const list = `apikeys:${ctx.tenant.name}`
  const cursor = createdCursor(decodeContinue(page, list))
  const tenantId = ctx.tenant.id
  const all = await deps.readCache.read(`apikey-list:${tenantId}`, LIST_TABLES, async () =>
    cachedList(await listApiKeys(deps.db, tenantId), createdKeyOf, apiKeyToApi))
  return pageOf(all!, page, list, cursor && afterCreatedAt(cursor))
}

export async function createTenantApiKey(deps: Deps, ctx: TenantContext, body: ApiKeyCreate): Promise<ApiKeyCreated> {
  const now = deps.clock.now()
  let expiresAt: Date | undefined
  if (body.expiresAt !== undefined) {
    expiresAt = parseRfc3339(body.expiresAt)!
    if (expiresAt.getTime() <= now.getTime()) throw errors.invalidField('expiresAt', 'expiresAt', 'must be in the future')
    if (expiresAt.getTime() - now.getTime() > MAX_LIFETIME_MS) {
      throw errors.invalidField('expiresAt', 'expiresAt', 'must be at most 730 days from now')
    }
  }
  return deps.db.transaction().execute(async (trx) => {
    await lockTenant(trx, ctx.tenant.id)
    if ((await countApiKeys(trx, ctx.tenant.id)) >= MAX_KEYS) throw errors.limitExceeded('API keys per tenant', MAX_KEYS)
    return issueApiKey(deps, trx, {
      tenantId: ctx.tenant.id, displayName: body.displayName, role: body.role,
      createdBy: ctx.principal.id, now, expiresAt,
    })
  })
}

export async function revokeTenantApiKey(deps: Deps, ctx: TenantContext, id: string): Promise<void> {
  const row = await findApiKey(deps.db, id)
  if (!row || row.tenant_id !== ctx.tenant.id || row.revoked_at) throw errors.apiKeyNotFound()
  const now = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    await revokeApiKey(trx, id, now)
    // The credentials it created go with it, so they leave the list and cannot be revoked twice.
    await revokeCredentialsCreatedBy(trx, ctx.tenant.id, { keyIds: [id] }, now)
  })
  // Tenant clusters learn of it through the token-review webhook, which reads the same row.
  deps.signal('clusters')
}
