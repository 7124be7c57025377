import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { addRouteHook } from '../route-hooks.js'
import { etagMatches } from '../../lib/etag.js'

/**
 * If-None-Match → 304 on conditional GETs (spec §1.6), and `Cache-Control: no-store` on
 * responses that carry a secret (§1.3). Routes only set their ETag.
 */
export function installConditionalResponses(app: FastifyInstance): void {
  const applies = (route: RouteOptions) => Boolean(route.config?.conditional || route.config?.noStore)
  addRouteHook(app, 'onSend', applies, async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const config = req.routeOptions.config
    if (config?.noStore) reply.header('cache-control', 'no-store')
    if (!config?.conditional || req.method !== 'GET' || reply.statusCode !== 200) return payload
    const inm = req.headers['if-none-match']
    const etag = reply.getHeader('etag')
    if (typeof inm !== 'string' || typeof etag !== 'string') return payload
    if (!etagMatches(inm, etag.slice(1, -1))) return payload
    reply.code(304)
    reply.removeHeader('content-type')
    reply.removeHeader('content-length')
    return ''
  })
}
