import type { DomainDeps } from '../deps.js'
import { nextResourceVersion } from '../../store/connect.js'
import { findInvoice, insertInvoice, updateInvoice } from '../../store/invoices.js'
import { lockTenant } from '../../store/tenants.js'
import { availableCredits, consumeCredits } from '../billing/credits.js'
import { loadInvoiceInput } from '../billing/invoice-input.js'
import { lastSecondOf, ONE_DAY_MS, periodNamed } from '../billing/period.js'
import { priceInvoice } from '../billing/pricing.js'
import { invoiceToApi } from './invoice-view.js'
import type { Invoice } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

/**
 * Closes a finished billing period (`YYYY-MM`): prices it, applies credits, stores it `Billed`
 * with `dueDate` = period end + `billing.dueDays`. Idempotent: a period already closed is
 * returned as stored, so running it twice (a retried job, two replicas) bills once.
 */
export async function closeBillingPeriod(deps: Deps, tenantId: string, name: string): Promise<Invoice> {
  const period = periodNamed(name)
  const now = deps.clock.now()
  if (now < period.end) throw new Error(`billing period ${name} has not ended`)
  const row = await deps.db.transaction().execute(async (trx) => {
    const tenant = await lockTenant(trx, tenantId)
    const existing = await findInvoice(trx, tenantId, name)
    if (existing && existing.phase !== 'Draft') return existing
    const creditsAt = lastSecondOf(period)
    const credits = await availableCredits(trx, tenantId, creditsAt)
    const priced = priceInvoice(await loadInvoiceInput(trx, deps.config, tenant, period, period.end, credits))
    const values = {
      phase: 'Billed' as const,
      currency: priced.currency,
      subtotal: priced.subtotal,
      credits_applied: priced.creditsApplied,
      tax: priced.tax,
      total: priced.total,
      due_date: new Date(period.end.getTime() + deps.config.billing.dueDays * ONE_DAY_MS),
      line_items: JSON.stringify(priced.lineItems),
      resource_version: await nextResourceVersion(trx),
    }
    const stored = existing
      ? await updateInvoice(trx, tenantId, name, values)
      : await insertInvoice(trx, {
          tenant_id: tenantId, name, period_start: period.start, period_end: lastSecondOf(period),
          created_at: tenant.created_at > period.start ? tenant.created_at : period.start, ...values,
        })
    // Same transaction as the invoice: a close that fails here leaves neither (issue #5).
    await consumeCredits(trx, tenantId, creditsAt, priced.creditsApplied, name)
    return stored
  })
  return invoiceToApi(row)
}
