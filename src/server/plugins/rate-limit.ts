import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { errors } from '../../domain/errors.js'
import { clientIp } from '../client-ip.js'
import { TokenBuckets } from '../token-bucket.js'

/**
 * First step of every request (spec §1.9 step 1, §4): request id, client IP, one token per
 * request, and the RateLimit headers on every response, 429 included.
 */
export function installRateLimit(app: FastifyInstance, config: Pick<Config, 'rateLimit' | 'trustedProxies'>): void {
  const buckets = new TokenBuckets(config.rateLimit.burst, config.rateLimit.perSecond)
  const policy = `"ip";q=${buckets.burst};w=${buckets.windowSeconds}`
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id)
    req.clientIp = clientIp(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], config.trustedProxies)
    if (req.routeOptions.config?.unmetered) return done()
    const r = buckets.take(req.clientIp)
    reply.header('ratelimit-policy', policy)
    reply.header('ratelimit', `"ip";r=${r.remaining};t=${r.resetSeconds}`)
    done(r.allowed ? undefined : errors.rateLimited(r.retryAfter))
  })
}
