import type { FastifyInstance } from 'fastify'
import { Counter, Histogram, type Registry } from 'prom-client'
import type { Clock } from '../../lib/clock.js'
import { HourlyRequestCounts } from '../request-counts.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** API requests by status class, last 24 hours (GET /v1/analytics/summary). */
    requestCounts: HourlyRequestCounts
  }
}

/** API traffic, as opposed to probes and scrapes of the system routes. */
const API_PATH = /^\/(api|v1)\//

/** Request metrics labelled by route template, never the raw path (unbounded cardinality). */
export function installMetrics(app: FastifyInstance, registry: Registry, clock: Clock): void {
  const counts = new HourlyRequestCounts()
  app.decorate('requestCounts', counts)
  const duration = new Histogram({
    name: 'kupe_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  })
  const total = new Counter({
    name: 'kupe_http_requests_total',
    help: 'HTTP requests by route template and status class',
    labelNames: ['method', 'route', 'status_class'],
    registers: [registry],
  })
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched'
    const status = String(reply.statusCode)
    duration.observe({ method: req.method, route, status }, reply.elapsedTime / 1000)
    total.inc({ method: req.method, route, status_class: `${status[0]}xx` })
    if (API_PATH.test(req.url)) counts.record(reply.statusCode, clock.now())
    done()
  })
}
