import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import type { Clock } from '../../lib/clock.js'
import { HourlyRequestCounts } from '../request-counts.js'
import { RequestMetrics } from '../request-metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** API requests by status class, last 24 hours (GET /v1/analytics/summary). */
    requestCounts: HourlyRequestCounts
  }
}

/** API traffic, as opposed to probes and scrapes of the system routes. */
const API_PATH = /^\/(api|v1)\//

/** Request metrics by route template, and the last day's API requests by status class. */
export function installMetrics(app: FastifyInstance, registry: Registry, clock: Clock): void {
  const counts = new HourlyRequestCounts()
  app.decorate('requestCounts', counts)
  const metrics = new RequestMetrics(registry)
  app.addHook('onResponse', (req, reply, done) => {
    metrics.record(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    if (API_PATH.test(req.url)) counts.record(reply.statusCode, clock.now())
    done()
  })
}
