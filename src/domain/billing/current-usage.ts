import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import type { TenantRow } from '../../store/db.js'
import type { CachedTable } from '../../store/read-cache.js'
import type { LineItem } from '../invoices/schema.js'
import type { CurrentUsage } from '../tenants/schema.js'
import { cachedTenantById } from '../tenants/tenant-lookup.js'
import { availableCredits } from './credits.js'
import { loadInvoiceInput } from './invoice-input.js'
import type { MeasuredObservability } from './observability.js'
import { lastSecondOf, periodContaining, type BillingPeriod } from './period.js'
import { priceInvoice, type PricedInvoice } from './pricing.js'
import { BillingDecimal as D } from './usage.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'readCache'>

/** Every table the open period's estimate is computed from: a write to any of them drops it. */
export const ESTIMATE_TABLES: readonly CachedTable[] = [
  'tenants', 'tenant_plans', 'plans', 'cluster_allocations', 'credits', 'observability_samples',
]

/** The open period's Draft of one tenant, priced as of `computedAt`. */
export interface DraftEstimate {
  tenant: TenantRow
  period: BillingPeriod
  computedAt: Date
  /** Served until this moment (ms): one refresh interval later, or the period's end if sooner. */
  until: number
  priced: PricedInvoice
  /** `status.currentUsage` (spec §6.1), built once per estimate. */
  usage: CurrentUsage
}

function sumOf(lines: LineItem[], kind: string, field: 'quantity' | 'cost'): string {
  return lines.filter((l) => l.kind === kind).reduce((s, l) => s.plus(l[field]), new D(0)).toFixed(2)
}

function currentUsageOf(period: BillingPeriod, at: Date, draft: PricedInvoice, obs: MeasuredObservability): CurrentUsage {
  const lines = draft.lineItems
  return {
    periodStart: toRfc3339(period.start),
    periodEnd: toRfc3339(lastSecondOf(period)),
    updatedAt: toRfc3339(at),
    planChangedInPeriod: draft.planChangedInPeriod,
    // A served estimate is at most one refresh interval old, and one that fails is not served.
    stale: false,
    currency: draft.currency,
    compute: {
      cpuCoreHours: sumOf(lines, 'cpu', 'quantity'), cpuCost: sumOf(lines, 'cpu', 'cost'),
      memoryGiBHours: sumOf(lines, 'memory', 'quantity'), memoryCost: sumOf(lines, 'memory', 'cost'),
      storageGiBHours: sumOf(lines, 'storage', 'quantity'), storageCost: sumOf(lines, 'storage', 'cost'),
      haHours: sumOf(lines, 'ha', 'quantity'), haCost: sumOf(lines, 'ha', 'cost'),
    },
    observability: {
      currentActiveSeries: obs.currentActiveSeries,
      billableActiveSeriesP95: obs.activeSeriesP95,
      metricsOverageCost: sumOf(lines, 'metricsOverage', 'cost'),
      logIngestBytes: Number(obs.logIngestBytes),
      logIngestGB: new D(obs.logIngestBytes.toString()).div(1e9).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2),
      logOverageCost: sumOf(lines, 'logOverage', 'cost'),
    },
    estimatedSubtotal: draft.subtotal,
    estimatedCreditsApplied: draft.creditsApplied,
    estimatedTax: draft.tax,
    estimatedTotal: draft.total,
  }
}

/** Prices the open period as of `now`, through the same calculation as a closed invoice. */
async function computeEstimate(deps: Deps, tenant: TenantRow, now: Date): Promise<DraftEstimate> {
  const period = periodContaining(now)
  const credits = await availableCredits(deps.db, tenant.id, now)
  const input = await loadInvoiceInput(deps.db, deps.config, tenant, period, now, credits)
  const priced = priceInvoice(input)
  const until = Math.min(now.getTime() + deps.config.usageRefreshSeconds * 1000, period.end.getTime())
  return { tenant, period, computedAt: now, until, priced, usage: currentUsageOf(period, now, priced, input.observability) }
}

/**
 * The open period's Draft (spec §6.1 `status.currentUsage`, §5.8 the Draft invoice). Refreshed
 * at least every `usageRefreshSeconds` on the injected clock, and at once after any write to
 * what it is computed from (`ESTIMATE_TABLES`, through the read cache). Computing it writes
 * nothing, so a refresh never moves the tenant's resourceVersion (§1.6, decision 0009).
 * Undefined when the tenant does not exist.
 */
export async function draftEstimate(deps: Deps, tenantId: string): Promise<DraftEstimate | undefined> {
  const now = deps.clock.now()
  return deps.readCache.readTimed(`estimate:${tenantId}`, ESTIMATE_TABLES, now.getTime(), async () => {
    const tenant = await cachedTenantById(deps, tenantId)
    if (!tenant) return undefined
    const estimate = await computeEstimate(deps, tenant, now)
    return { value: estimate, until: estimate.until }
  }, tenantId)
}
