import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { periodContaining, type BillingPeriod } from '../domain/billing/period.js'
import { closeTenantThrough } from '../domain/invoices/billing-close.js'
import { markOverdueInvoices } from '../domain/invoices/invoice-lifecycle.js'
import { listOverdueInvoices, listTenantsWithoutInvoice } from '../store/invoice-lifecycle.js'
import { findTenantById } from '../store/tenants.js'
import { done, type Controller, type Requeue } from './controller.js'

/** What this controller uses of the container (STYLE rule 15). */
type BillingDeps = Pick<ControllerDeps, 'db' | 'clock' | 'config'>

/**
 * How long after a month ends the controller waits before closing it: observability samples
 * for the month's last hour arrive after that hour (docs/decisions/0006-billing.md). The admin
 * route closes a period on demand without waiting.
 */
export const CLOSE_GRACE_MS = 3_600_000

/** The latest month the controller may close at `now`. */
export function lastClosablePeriod(now: Date): BillingPeriod {
  const current = periodContaining(new Date(now.getTime() - CLOSE_GRACE_MS))
  return periodContaining(new Date(current.start.getTime() - 1))
}

/**
 * The monthly close (issue #5): for each tenant, every finished month not yet closed — from its
 * creation month on, oldest first — becomes a Billed invoice, and Billed invoices past their due
 * date become PastDue. Keyed by tenant id; listing asks the database which tenants have work, so
 * a resync of an up-to-date platform is two queries.
 */
export const billingController: Controller<BillingDeps, Signal> = {
  name: 'billing',
  signals: ['billing'],
  keyedSignals: ['billing'],
  async listKeys(deps) {
    const now = deps.clock.now()
    const last = lastClosablePeriod(now)
    const [unclosed, overdue] = await Promise.all([listTenantsWithoutInvoice(deps.db, last.name, last.end), listOverdueInvoices(deps.db, now)])
    return [...new Set([...unclosed.map((t) => t.id), ...overdue.map((i) => i.tenant_id)])]
  },
  reconcile: reconcileBilling,
}

export async function reconcileBilling(deps: BillingDeps, tenantId: string): Promise<Requeue> {
  const tenant = await findTenantById(deps.db, tenantId)
  if (!tenant) return done // deleted meanwhile: its invoices went with it
  // Each month closes in its own transaction and a closed month is never closed again, so a
  // crash anywhere here only leaves later months for the next pass.
  await closeTenantThrough(deps, tenant, lastClosablePeriod(deps.clock.now()).name)
  await markOverdueInvoices(deps, tenant.id)
  return done
}
