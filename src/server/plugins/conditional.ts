import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { addRouteHook } from '../route-hooks.js'
import { etagMatches } from '../../lib/etag.js'

/**
 * If-None-Match → 304 on conditional GETs (spec §1.6), and `Cache-Control: no-store` on
 * responses that carry a secret (§1.3). Routes only set their ETag.
 */
export function installConditionalResponses(app: FastifyInstance): void {
  const applies = (route: RouteOptions) => Boolean(route.config?.conditional || route.config?.noStore)
  // A callback hook, not an async one: it runs on every cached read, and has nothing to await.
  addRouteHook(app, 'onSend', applies, (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    const config = req.routeOptions.config
    if (config?.noStore) reply.header('cache-control', 'no-store')
    if (!config?.conditional || req.method !== 'GET' || reply.statusCode !== 200) return done(null, payload)
    const inm = req.headers['if-none-match']
    const etag = reply.getHeader('etag')
    if (typeof inm !== 'string' || typeof etag !== 'string' || !etagMatches(inm, etag.slice(1, -1))) return done(null, payload)
    reply.code(304)
    reply.removeHeader('content-type')
    reply.removeHeader('content-length')
    done(null, '')
  })
}
