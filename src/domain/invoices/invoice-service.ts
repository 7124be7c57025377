import type { DomainDeps } from '../deps.js'
import type { TenantRow } from '../../store/db.js'
import { findInvoice, listClosedInvoices, peekResourceVersion } from '../../store/invoices.js'
import type { TenantContext } from '../auth/principal.js'
import { availableCredits } from '../billing/credits.js'
import { loadInvoiceInput } from '../billing/invoice-input.js'
import { lastSecondOf, periodContaining } from '../billing/period.js'
import { priceInvoice } from '../billing/pricing.js'
import { decodeContinue, fetchSize, stringKey, toPage, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import { invoiceToApi } from './invoice-view.js'
import type { Invoice } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

/** Closed periods only, by period ascending (spec §5.8); the open period's Draft is never listed. */
export async function listTenantInvoices(deps: Deps, ctx: TenantContext, page: Page): Promise<ListResult<Invoice>> {
  const list = `invoices:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const rows = await listClosedInvoices(deps.db, ctx.tenant.id, after, fetchSize(page))
  return toPage(rows, page, list, (r) => [r.name], invoiceToApi)
}

/** A stored closed invoice, or the open period's Draft computed now; anything else does not exist. */
export async function getTenantInvoice(deps: Deps, ctx: TenantContext, name: string): Promise<Invoice> {
  const stored = await findInvoice(deps.db, ctx.tenant.id, name)
  if (stored && stored.phase !== 'Draft') return invoiceToApi(stored)
  const now = deps.clock.now()
  if (name !== periodContaining(now).name) throw errors.invoiceNotFound()
  return draftInvoice(deps, ctx.tenant, now, stored?.created_at)
}

/** The open period's Draft, computed now (also served to the platform operator as kubeOP's invoice). */
export async function draftInvoice(deps: Deps, tenant: TenantRow, now: Date, openedAt?: Date): Promise<Invoice> {
  const period = periodContaining(now)
  const credits = await availableCredits(deps.db, tenant.id, now)
  const priced = priceInvoice(await loadInvoiceInput(deps.db, deps.config, tenant, period, now, credits))
  return invoiceToApi({
    name: period.name,
    period_start: period.start,
    period_end: lastSecondOf(period),
    // The Draft opened with the period, or when the tenant joined during it.
    created_at: openedAt ?? (tenant.created_at > period.start ? tenant.created_at : period.start),
    // A Draft is a view computed now: it carries the server's current version, not one of its own.
    resource_version: await peekResourceVersion(deps.db),
    phase: 'Draft',
    currency: priced.currency,
    subtotal: priced.subtotal,
    credits_applied: priced.creditsApplied,
    tax: priced.tax,
    total: priced.total,
    due_date: null,
    line_items: priced.lineItems,
  })
}
