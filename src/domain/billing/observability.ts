import type { BillingPeriod } from './period.js'
import type { ObservabilityUsage } from './pricing.js'

const HOUR_MS = 3_600_000

/** One ingested hour (the admin ingest route); a field not reported for that hour is null. */
export interface HourlySample {
  hour: Date
  activeSeries: number | null
  logBytes: bigint | null
}

/** What billing needs, plus the latest series count for `status.currentUsage`. */
export interface MeasuredObservability extends ObservabilityUsage {
  currentActiveSeries: number
}

/** Hours of the period up to `asOf` (a started hour counts): the population the P95 is taken over. */
export function billableHours(period: BillingPeriod, asOf: Date): number {
  const to = Math.min(asOf.getTime(), period.end.getTime())
  return Math.max(0, Math.ceil((to - period.start.getTime()) / HOUR_MS))
}

/**
 * Nearest-rank 95th percentile of hourly active series over every hour of the period so far
 * (docs/decisions/0006-billing.md): an hour without a sample counts as zero series, so the
 * top 5% of hours — short spikes — are never billed, and a tenant is not billed a full
 * month for series it held a few hours.
 */
export function p95ActiveSeries(values: number[], hours: number): number {
  if (hours <= 0) return 0
  const rank = Math.ceil((95 * hours) / 100) // 1-based, integer arithmetic: no float surprises
  const sorted = [...values].sort((a, b) => a - b)
  const zeros = hours - sorted.length
  return rank <= zeros ? 0 : sorted[rank - zeros - 1] ?? 0
}

/** Observability usage of a period measured up to `asOf`, from its hourly samples. */
export function measureObservability(samples: HourlySample[], period: BillingPeriod, asOf: Date): MeasuredObservability {
  const to = Math.min(asOf.getTime(), period.end.getTime())
  const inWindow = samples
    .filter((s) => s.hour.getTime() >= period.start.getTime() && s.hour.getTime() < to)
    .sort((a, b) => a.hour.getTime() - b.hour.getTime())
  const series = inWindow.filter((s) => s.activeSeries !== null)
  return {
    activeSeriesP95: p95ActiveSeries(series.map((s) => s.activeSeries!), billableHours(period, asOf)),
    logIngestBytes: inWindow.reduce((sum, s) => sum + (s.logBytes ?? 0n), 0n),
    currentActiveSeries: series.at(-1)?.activeSeries ?? 0,
  }
}
