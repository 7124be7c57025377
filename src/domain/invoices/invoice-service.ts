import type { DomainDeps } from '../deps.js'
import { listInvoices, peekResourceVersion } from '../../store/invoices.js'
import type { CachedTable } from '../../store/read-cache.js'
import type { TenantContext } from '../auth/principal.js'
import { draftEstimate, ESTIMATE_TABLES } from '../billing/current-usage.js'
import { lastSecondOf, periodContaining } from '../billing/period.js'
import { afterName, cachedList, pageOf, type CachedList } from '../common/cached-page.js'
import { decodeContinue, stringKey, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import { invoiceToApi } from './invoice-view.js'
import type { Invoice } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'readCache'>

const INVOICE_TABLES: readonly CachedTable[] = ['invoices', 'tenants']
const DRAFT_TABLES: readonly CachedTable[] = [...new Set<CachedTable>([...ESTIMATE_TABLES, ...INVOICE_TABLES])]

/** A tenant's stored invoices: the closed ones as listed, and when each open period's record was opened. */
interface StoredInvoices {
  closed: CachedList<Invoice>
  /** Draft rows by period name: the Draft shows when its record was opened. */
  openedAt: Record<string, Date>
}

/** Every stored invoice of the tenant, from the read cache when it can be (decision 0008). */
async function storedInvoices(deps: Deps, tenantId: string): Promise<StoredInvoices> {
  const stored = await deps.readCache.read(`invoices:${tenantId}`, INVOICE_TABLES, async () => {
    const rows = await listInvoices(deps.db, tenantId)
    const closed = rows.filter((r) => r.phase !== 'Draft') // every phase after a close
    const openedAt = Object.fromEntries(rows.filter((r) => r.phase === 'Draft').map((r) => [r.name, r.created_at]))
    return { closed: cachedList(closed, (r) => [r.name], invoiceToApi), openedAt }
  })
  return stored!
}

/** Closed periods only, by period ascending (spec §5.8); the open period's Draft is never listed. */
export async function listTenantInvoices(deps: Deps, ctx: TenantContext, page: Page): Promise<ListResult<Invoice>> {
  const list = `invoices:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const { closed } = await storedInvoices(deps, ctx.tenant.id)
  return pageOf(closed, page, list, after === undefined ? undefined : afterName(after))
}

/** A stored closed invoice, or the open period's Draft; anything else does not exist. */
export async function getTenantInvoice(deps: Deps, ctx: TenantContext, name: string): Promise<Invoice> {
  const closed = (await storedInvoices(deps, ctx.tenant.id)).closed.all.items.find((i) => i.name === name)
  if (closed) return closed
  if (name !== periodContaining(deps.clock.now()).name) throw errors.invoiceNotFound()
  const draft = await draftInvoice(deps, ctx.tenant.id)
  if (!draft) throw errors.invoiceNotFound()
  return draft
}

/**
 * The open period's Draft: the same estimate as the tenant's `status.currentUsage`, refreshed
 * with it (also served to the platform operator as kubeOP's invoice). Undefined when the
 * tenant does not exist.
 */
export async function draftInvoice(deps: Deps, tenantId: string): Promise<Invoice | undefined> {
  return deps.readCache.readTimed(`draft-invoice:${tenantId}`, DRAFT_TABLES, deps.clock.now().getTime(), async () => {
    const [estimate, stored] = await Promise.all([draftEstimate(deps, tenantId), storedInvoices(deps, tenantId)])
    if (!estimate) return undefined
    const { period, priced, tenant } = estimate
    const invoice = invoiceToApi({
      name: period.name,
      period_start: period.start,
      period_end: lastSecondOf(period),
      // The Draft opened with the period, or when the tenant joined during it.
      created_at: stored.openedAt[period.name] ?? (tenant.created_at > period.start ? tenant.created_at : period.start),
      // A Draft is a view computed from the estimate: it carries the server's version at that moment.
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
    return { value: invoice, until: estimate.until }
  })
}
