import type { Histogram, Registry } from 'prom-client'

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]

/** One method, route template and status: its count, total seconds and per-bucket counts. */
interface Series {
  labels: { method: string; route: string; status: string }
  count: number
  sum: number
  /** Not cumulative: buckets[i] counts the requests with BUCKETS[i-1] < seconds ≤ BUCKETS[i]. */
  buckets: number[]
}

interface MetricValue {
  value: number
  labels: Record<string, string | number>
  metricName?: string
}

/**
 * A metric object of the shape prom-client's registry formats (name, help, type, and `get()`
 * answering the values at scrape time), for the two metrics whose values live in RequestMetrics.
 */
class ScrapedMetric {
  readonly aggregator = 'sum'
  constructor(readonly name: string, readonly help: string, readonly type: 'histogram' | 'counter', private readonly values: () => MetricValue[]) {}
  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() }
  }
  reset(): void {}
}

/**
 * `kupe_http_request_duration_seconds` and `kupe_http_requests_total`, labelled by route template
 * (never the raw path: unbounded cardinality), counted in plain numbers per series and handed to
 * the registry when it is scraped. prom-client's Histogram and Counter check, sort and hash the
 * label set on every observation, a few microseconds of every cached read (decision 0036); here a
 * request costs three map lookups and a few additions.
 */
export class RequestMetrics {
  /** route → method → status code → series. */
  private readonly series = new Map<string, Map<string, Map<number, Series>>>()

  constructor(registry: Registry) {
    const register = (metric: ScrapedMetric) =>
      // The registry formats any object of this shape; its typings name only its own classes.
      registry.registerMetric(metric as unknown as Histogram)
    register(new ScrapedMetric('kupe_http_request_duration_seconds', 'HTTP request duration by route template', 'histogram', () => this.durationValues()))
    register(new ScrapedMetric('kupe_http_requests_total', 'HTTP requests by route template and status class', 'counter', () => this.totalValues()))
  }

  record(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route)
    if (!byMethod) this.series.set(route, (byMethod = new Map()))
    let byStatus = byMethod.get(method)
    if (!byStatus) byMethod.set(method, (byStatus = new Map()))
    let s = byStatus.get(status)
    if (!s) byStatus.set(status, (s = { labels: { method, route, status: String(status) }, count: 0, sum: 0, buckets: new Array<number>(BUCKETS.length).fill(0) }))
    s.count++
    s.sum += seconds
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        s.buckets[i]!++
        break
      }
    }
  }

  private *all(): Iterable<Series> {
    for (const byMethod of this.series.values()) for (const byStatus of byMethod.values()) yield* byStatus.values()
  }

  private durationValues(): MetricValue[] {
    const name = 'kupe_http_request_duration_seconds'
    const values: MetricValue[] = []
    for (const s of this.all()) {
      let cumulative = 0
      BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i]!
        values.push({ metricName: `${name}_bucket`, labels: { le, ...s.labels }, value: cumulative })
      })
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count })
      values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum })
      values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count })
    }
    return values
  }

  /** By status class: a route's 200s and 204s are one `2xx` series. */
  private totalValues(): MetricValue[] {
    const totals = new Map<string, MetricValue>()
    for (const s of this.all()) {
      const statusClass = `${s.labels.status[0]}xx`
      const key = `${s.labels.method} ${s.labels.route} ${statusClass}`
      const total = totals.get(key)
      if (total) total.value += s.count
      else totals.set(key, { labels: { method: s.labels.method, route: s.labels.route, status_class: statusClass }, value: s.count })
    }
    return [...totals.values()]
  }
}
