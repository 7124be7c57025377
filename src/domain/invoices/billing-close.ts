import type { DomainDeps } from '../deps.js'
import type { TenantRow } from '../../store/db.js'
import { listClosedPeriodNames } from '../../store/invoice-lifecycle.js'
import { findInvoice } from '../../store/invoices.js'
import { listTenants } from '../../store/tenants.js'
import { periodContaining, periodNamed, type BillingPeriod } from '../billing/period.js'
import { isInvoiceName } from '../common/names.js'
import { errors } from '../errors.js'
import { closeBillingPeriod } from './close-billing-period.js'
import { invoiceToApi } from './invoice-view.js'
import type { ClosedPeriod, Invoice } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

const nextPeriod = (p: BillingPeriod) => periodContaining(p.end)

/** Names of the months from the tenant's creation month through `last`, oldest first. */
export function periodsThrough(createdAt: Date, last: BillingPeriod): string[] {
  const names: string[] = []
  for (let p = periodContaining(createdAt); p.start < last.end; p = nextPeriod(p)) names.push(p.name)
  return names
}

/**
 * Closes every month of the tenant not yet closed, from its creation month through `name`,
 * oldest first, so credits are drawn in period order and closed invoices always form an
 * unbroken run. Each month is its own transaction (closeBillingPeriod); a crash between two
 * leaves the earlier ones complete and the rest for the next run.
 */
export async function closeTenantThrough(deps: Deps, tenant: TenantRow, name: string): Promise<Invoice | undefined> {
  const last = periodNamed(name)
  if (tenant.created_at >= last.end) return undefined // the tenant did not exist in that period
  const closed = new Set(await listClosedPeriodNames(deps.db, tenant.id))
  let invoice: Invoice | undefined
  for (const p of periodsThrough(tenant.created_at, last)) {
    if (!closed.has(p)) invoice = await closeBillingPeriod(deps, tenant.id, p)
  }
  if (closed.has(name)) {
    const stored = await findInvoice(deps.db, tenant.id, name)
    if (stored) invoice = invoiceToApi(stored)
  }
  return invoice
}

/**
 * POST /api/v1/admin/billing/close?period=YYYY-MM: closes the period (and any earlier month
 * still open) for every tenant that existed in it. Idempotent: closed invoices come back as stored.
 */
export async function closePeriodForAllTenants(deps: Deps, name: unknown): Promise<ClosedPeriod> {
  if (typeof name !== 'string' || !isInvoiceName(name)) throw errors.invalidBillingPeriod()
  if (deps.clock.now() < periodNamed(name).end) throw errors.billingPeriodOpen()
  const items: ClosedPeriod['items'] = []
  for (const tenant of await listTenants(deps.db, undefined, undefined)) {
    const invoice = await closeTenantThrough(deps, tenant, name)
    if (invoice) items.push({ tenant: tenant.name, invoice })
  }
  return { period: name, items }
}
