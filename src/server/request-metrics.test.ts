import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Counter, Histogram, Registry } from 'prom-client'
import { RequestMetrics } from './request-metrics.js'

const requests: Array<[string, string, number, number]> = [
  ['GET', '/api/v1/tenants/:tenant', 200, 0.0004],
  ['GET', '/api/v1/tenants/:tenant', 200, 0.001],
  ['GET', '/api/v1/tenants/:tenant', 304, 0.02],
  ['GET', '/api/v1/tenants/:tenant', 404, 7],
  ['PATCH', '/api/v1/tenants/:tenant', 200, 0.3],
  ['POST', '/api/v1/tenants/:tenant/clusters', 202, 0.05],
  ['POST', '/api/v1/tenants/:tenant/clusters', 201, 1],
  ['GET', 'unmatched', 404, 0.002],
]

/** What prom-client's own Histogram and Counter print for the same requests. */
async function promClientExposition(): Promise<string> {
  const registry = new Registry()
  const duration = new Histogram({
    name: 'kupe_http_request_duration_seconds', help: 'HTTP request duration by route template', labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry],
  })
  const total = new Counter({ name: 'kupe_http_requests_total', help: 'HTTP requests by route template and status class', labelNames: ['method', 'route', 'status_class'], registers: [registry] })
  for (const [method, route, status, seconds] of requests) {
    duration.observe({ method, route, status: String(status) }, seconds)
    total.inc({ method, route, status_class: `${String(status)[0]}xx` })
  }
  return registry.metrics()
}

const lines = (text: string) => text.split('\n').filter(Boolean).sort()

test('the request metrics print exactly what prom-client\'s Histogram and Counter print for the same requests', async () => {
  const registry = new Registry()
  const metrics = new RequestMetrics(registry)
  for (const [method, route, status, seconds] of requests) metrics.record(method, route, status, seconds)
  assert.deepEqual(lines(await registry.metrics()), lines(await promClientExposition()))
})

test('a scrape sees the requests recorded since the last one', async () => {
  const registry = new Registry()
  const metrics = new RequestMetrics(registry)
  metrics.record('GET', '/healthz', 200, 0.0001)
  assert.match(await registry.metrics(), /^kupe_http_requests_total\{method="GET",route="\/healthz",status_class="2xx"\} 1$/m)
  metrics.record('GET', '/healthz', 200, 0.0001)
  metrics.record('GET', '/healthz', 503, 0.0001)
  const text = await registry.metrics()
  assert.match(text, /^kupe_http_requests_total\{method="GET",route="\/healthz",status_class="2xx"\} 2$/m)
  assert.match(text, /^kupe_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="503"\} 1$/m)
})
