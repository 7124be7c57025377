import type { StatusClassCounts } from '../domain/kubeop/schema.js'

const HOUR_MS = 3_600_000
const WINDOW_HOURS = 24
type StatusClass = keyof StatusClassCounts

const empty = (): StatusClassCounts => ({ '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 })

/**
 * API requests by status class in hourly buckets, kept for the last 24 hours (GET
 * /v1/analytics/summary). In memory and per replica: counting every request in the database
 * would cost a write per request; the replica's share is what the operator's dashboards sum.
 */
export class HourlyRequestCounts {
  private readonly buckets = new Map<number, StatusClassCounts>()

  record(status: number, at: Date): void {
    const hour = Math.floor(at.getTime() / HOUR_MS)
    const cls = `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as StatusClass
    let bucket = this.buckets.get(hour)
    if (!bucket) {
      bucket = empty()
      this.buckets.set(hour, bucket)
      for (const h of this.buckets.keys()) if (h <= hour - WINDOW_HOURS) this.buckets.delete(h)
    }
    bucket[cls]++
  }

  /** The current hour and the 23 before it. */
  lastDay(now: Date): { since: Date; counts: StatusClassCounts } {
    const current = Math.floor(now.getTime() / HOUR_MS)
    const first = current - WINDOW_HOURS + 1
    const counts = empty()
    for (const [hour, bucket] of this.buckets) {
      if (hour < first || hour > current) continue
      for (const k of Object.keys(counts) as StatusClass[]) counts[k] += bucket[k]
    }
    return { since: new Date(first * HOUR_MS), counts }
  }
}
