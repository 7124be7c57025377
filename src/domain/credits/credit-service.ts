import type { DomainDeps } from '../deps.js'
import { parseRfc3339, toRfc3339 } from '../../lib/time.js'
import type { CreditRow } from '../../store/db.js'
import { listCredits } from '../../store/credits.js'
import { findTenantByName } from '../../store/tenants.js'
import { grantCredit } from '../billing/credits.js'
import { BillingDecimal as D } from '../billing/usage.js'
import { decodeContinue, fetchSize, toPage, type ListResult, type Page } from '../common/pagination.js'
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

/** Every credit of the tenant, oldest first, with what is left of each. */
export async function listTenantCredits(deps: Deps, tenantName: string, page: Page): Promise<ListResult<Credit>> {
  const tenant = await requireTenant(deps, tenantName)
  const list = `credits:${tenant.name}`
  const key = decodeContinue(page, list)
  let after: { createdAt: Date; id: string } | undefined
  if (key !== undefined) {
    const [at, id] = key
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw errors.invalidContinue()
    after = { createdAt: new Date(at), id }
  }
  const rows = await listCredits(deps.db, tenant.id, after, fetchSize(page))
  return toPage(rows, page, list, (r) => [r.created_at.toISOString(), r.id], creditToApi)
}
