import type { Container } from '../../container.js'
import { toRfc3339 } from '../../lib/time.js'
import type { Executor, TenantRow } from '../../store/db.js'
import type { CurrentUsage } from '../tenants/schema.js'

type Deps = Pick<Container, 'db' | 'clock' | 'config'>

/** Placeholder until the pricing engine lands (replaced in this same change set). */
export async function estimateCurrentUsage(deps: Deps, _tenant: TenantRow, _db: Executor): Promise<CurrentUsage> {
  const now = deps.clock.now()
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1000)
  const zero = '0.00'
  return {
    periodStart: toRfc3339(start), periodEnd: toRfc3339(end), updatedAt: toRfc3339(now),
    planChangedInPeriod: false, stale: false, currency: deps.config.billing.currency,
    compute: { cpuCoreHours: zero, cpuCost: zero, memoryGiBHours: zero, memoryCost: zero, storageGiBHours: zero, storageCost: zero, haHours: zero, haCost: zero },
    observability: { currentActiveSeries: 0, billableActiveSeriesP95: 0, metricsOverageCost: zero, logIngestBytes: 0, logIngestGB: zero, logOverageCost: zero },
    estimatedSubtotal: zero, estimatedCreditsApplied: zero, estimatedTax: zero, estimatedTotal: zero,
  }
}
