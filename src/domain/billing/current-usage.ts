import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import type { Executor, TenantRow } from '../../store/db.js'
import type { LineItem } from '../invoices/schema.js'
import type { CurrentUsage } from '../tenants/schema.js'
import { availableCredits } from './credits.js'
import { loadInvoiceInput } from './invoice-input.js'
import { lastSecondOf, periodContaining } from './period.js'
import { priceInvoice } from './pricing.js'
import { BillingDecimal as D } from './usage.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

function sumOf(lines: LineItem[], kind: string, field: 'quantity' | 'cost'): string {
  return lines.filter((l) => l.kind === kind).reduce((s, l) => s.plus(l[field]), new D(0)).toFixed(2)
}

/**
 * `status.currentUsage` (spec §6.1): the open period's Draft seen through the same calculation
 * as a closed invoice. Computed on every read, so it is never stale and never moves the
 * tenant's resourceVersion (§1.6).
 */
export async function estimateCurrentUsage(deps: Deps, tenant: TenantRow, db: Executor): Promise<CurrentUsage> {
  const now = deps.clock.now()
  const period = periodContaining(now)
  const credits = await availableCredits(db, tenant.id, now)
  const input = await loadInvoiceInput(db, deps.config, tenant, period, now, credits)
  const draft = priceInvoice(input)
  const { activeSeriesP95, logIngestBytes, currentActiveSeries } = input.observability
  const lines = draft.lineItems
  return {
    periodStart: toRfc3339(period.start),
    periodEnd: toRfc3339(lastSecondOf(period)),
    updatedAt: toRfc3339(now),
    planChangedInPeriod: draft.planChangedInPeriod,
    stale: false,
    currency: draft.currency,
    compute: {
      cpuCoreHours: sumOf(lines, 'cpu', 'quantity'), cpuCost: sumOf(lines, 'cpu', 'cost'),
      memoryGiBHours: sumOf(lines, 'memory', 'quantity'), memoryCost: sumOf(lines, 'memory', 'cost'),
      storageGiBHours: sumOf(lines, 'storage', 'quantity'), storageCost: sumOf(lines, 'storage', 'cost'),
      haHours: sumOf(lines, 'ha', 'quantity'), haCost: sumOf(lines, 'ha', 'cost'),
    },
    observability: {
      currentActiveSeries,
      billableActiveSeriesP95: activeSeriesP95,
      metricsOverageCost: sumOf(lines, 'metricsOverage', 'cost'),
      logIngestBytes: Number(logIngestBytes),
      logIngestGB: new D(logIngestBytes.toString()).div(1e9).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2),
      logOverageCost: sumOf(lines, 'logOverage', 'cost'),
    },
    estimatedSubtotal: draft.subtotal,
    estimatedCreditsApplied: draft.creditsApplied,
    estimatedTax: draft.tax,
    estimatedTotal: draft.total,
  }
}
