import type { Config } from '../../config.js'
import { listAllocationsOverlapping } from '../../store/allocation-history.js'
import type { Executor, PlanRow, TenantRow } from '../../store/db.js'
import { listSamples } from '../../store/observability-samples.js'
import { listPlans } from '../../store/plans.js'
import { listPlanChanges } from '../../store/tenants.js'
import type { PlanRates } from '../plans/schema.js'
import { measureObservability, type MeasuredObservability } from './observability.js'
import type { BillingPeriod } from './period.js'
import type { InvoiceInput, PlanTerms } from './pricing.js'

const NO_RATES: PlanRates = { cpuHour: '0', memoryGiBHour: '0', storageGiBHour: '0', haHour: '0', metricsSeriesMonth: '0', logGB: '0' }

function termsOf(row: PlanRow): PlanTerms {
  return {
    name: row.name, displayName: row.display_name, platformFee: row.platform_fee, currency: row.currency,
    rates: row.rates as PlanRates,
    maxActiveSeries: row.observability_pool.maxActiveSeries, logIngestGB: row.observability_pool.logIngestGB,
  }
}

/**
 * Everything the pricing engine needs for one tenant and period, read from the store. A plan the
 * operator has since removed from the catalogue is billed with no fee and no rates rather than
 * failing the whole invoice.
 */
export async function loadInvoiceInput(
  db: Executor,
  config: Pick<Config, 'billing'>,
  tenant: TenantRow,
  period: BillingPeriod,
  asOf: Date,
  credits: string,
): Promise<InvoiceInput & { observability: MeasuredObservability }> {
  const [changes, catalogue, allocations, samples] = await Promise.all([
    listPlanChanges(db, tenant.id),
    listPlans(db),
    listAllocationsOverlapping(db, tenant.id, period.start, period.end),
    listSamples(db, tenant.id, period.start, period.end),
  ])
  const plans = new Map(catalogue.map((p) => [p.name, termsOf(p)]))
  for (const c of changes) {
    if (!plans.has(c.plan)) {
      plans.set(c.plan, {
        name: c.plan, displayName: c.plan, platformFee: '0.00', currency: config.billing.currency, rates: NO_RATES,
        maxActiveSeries: 0, logIngestGB: 0,
      })
    }
  }
  return {
    period,
    asOf,
    planChanges: changes.map((c) => ({ plan: c.plan, effectiveAt: c.effective_at })),
    plans,
    intervals: allocations.map((a) => ({
      clusterId: a.cluster_id, clusterName: a.cluster_name, cpuMillis: BigInt(a.cpu_millis), memoryBytes: BigInt(a.memory_bytes),
      storageBytes: BigInt(a.storage_bytes), highAvailability: a.high_availability, startAt: a.start_at, endAt: a.end_at,
    })),
    credits,
    taxRate: config.billing.taxRate,
    enforceMetricsLimit: tenant.enforce_metrics_limit,
    enforceLogLimit: tenant.enforce_log_limit,
    // Hourly samples from the admin ingest route (POST /v1/usage/ingest).
    observability: measureObservability(
      samples.map((x) => ({
        hour: x.hour,
        activeSeries: x.active_series === null ? null : Number(x.active_series),
        logBytes: x.log_bytes === null ? null : BigInt(x.log_bytes),
      })),
      period,
      asOf,
    ),
    defaultCurrency: config.billing.currency,
  }
}
