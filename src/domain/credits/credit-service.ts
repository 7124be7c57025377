import type { DomainDeps } from '../deps.js'
import { parseRfc3339, toRfc3339 } from '../../lib/time.js'
import type { CreditRow } from '../../store/db.js'
import { listCredits } from '../../store/credits.js'
import { findTenantByName } from '../../store/tenants.js'
import { grantCredit } from '../billing/credits.js'
import { BillingDecimal as D } from '../billing/usage.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterCreatedAt, cachedList, pageOf } from '../common/cached-page.js'
import { decodeContinue, type ListResult, type Page } from '../common/pagination.js'
import { cachedTenantByName } from '../tenants/tenant-lookup.js'
import { errors } from '../errors.js'
import type { Credit, CreditGrant } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock'>

export function creditToApi(row: CreditRow): Credit {
  return {
    id: row.id,
    amount: row.amount,
    remaining: row.remaining,
    reason: row.reason,
    ...(row.expires_at ? { expiresAt: toRfc3339(row.expires_at) } : {}),
    createdAt: toRfc3339(row.created_at),
  }
}

async function requireTenant(deps: Deps, name: string) {
  const tenant = await findTenantByName(deps.db, name)
  if (!tenant) throw errors.tenantNotFound()
  return tenant
}

/** Grants a credit (issue #5); the next closed invoice applies it, and the Draft shows it at once. */
export async function grantTenantCredit(deps: Deps, tenantName: string, body: CreditGrant): Promise<Credit> {
  if (new D(body.amount).lte(0)) throw errors.invalidField('amount', 'amount', 'must be greater than zero')
  const expiresAt = body.expiresAt === undefined ? undefined : parseRfc3339(body.expiresAt)!
  if (expiresAt && expiresAt <= deps.clock.now()) throw errors.invalidField('expiresAt', 'expiresAt', 'must be in the future')
  const tenant = await requireTenant(deps, tenantName)
  return creditToApi(await grantCredit(deps, tenant.id, { amount: body.amount, reason: body.reason, expiresAt }))
}

const LIST_TABLES: readonly CachedTable[] = ['credits', 'tenants']

/** Every credit of the tenant, oldest first, with what is left of each (from the read cache when it can be). */
export async function listTenantCredits(deps: Pick<DomainDeps, 'db' | 'readCache'>, tenantName: string, page: Page): Promise<ListResult<Credit>> {
  const tenant = await cachedTenantByName(deps, tenantName)
  if (!tenant) throw errors.tenantNotFound()
  const list = `credits:${tenant.name}`
  const key = decodeContinue(page, list)
  let after: { createdAt: Date; id: string } | undefined
  if (key !== undefined) {
    const [at, id] = key
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw errors.invalidContinue()
    after = { createdAt: new Date(at), id }
  }
  const tenantId = tenant.id
  const all = await deps.readCache.read(`credit-list:${tenantId}`, LIST_TABLES, async () =>
    cachedList(await listCredits(deps.db, tenantId), (r) => [r.created_at.toISOString(), r.id], creditToApi))
  return pageOf(all!, page, list, after && afterCreatedAt(after))
}
