import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { DomainDeps } from '../../domain/deps.js'
import {
  finishIdempotentRequest,
  requestHashOf,
  startIdempotentRequest,
  type IdempotencyClaim,
} from '../../domain/idempotency/idempotency-service.js'
import { errors } from '../../domain/errors.js'
import { addRouteHook, methodsOf } from '../route-hooks.js'
import { stringParamsOf } from '../request-parts.js'

const REPLAYED_HEADERS = ['etag', 'cache-control', 'content-type', 'location', 'kupe-credential-id'] as const

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: IdempotencyClaim
  }
}

/**
 * Idempotency-Key on POST (spec §7 item 5, §1.9 step 11), after authentication and body checks:
 * the domain decides between running the request and replaying a stored answer; this plugin
 * only moves bytes and headers between Fastify and it.
 */
export function installIdempotency(app: FastifyInstance, deps: Pick<DomainDeps, 'db' | 'clock' | 'keys'>): void {
  const isPost = (route: RouteOptions) => methodsOf(route).includes('POST')
  addRouteHook(app, 'preHandler', isPost, async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return
    const key = req.headers['idempotency-key']
    if (key === undefined || !req.principal) return
    if (typeof key !== 'string') throw errors.invalidIdempotencyKey()
    const start = await startIdempotentRequest(deps, {
      tenant: stringParamsOf(req).tenant ?? '',
      principalId: req.principal.id,
      key,
      requestHash: requestHashOf(req.method, req.url.split('?')[0] ?? '', req.body),
    })
    if (start.kind === 'proceed') {
      req.idempotency = start.claim
      return
    }
    const { status, headers, body } = start.response
    return reply.code(status).headers({ ...headers, 'idempotent-replayed': 'true' }).send(body)
  })

  addRouteHook(app, 'onSend', isPost, async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = req.idempotency
    if (!claim || reply.getHeader('idempotent-replayed')) return payload
    req.idempotency = undefined
    const headers: Record<string, string> = {}
    for (const h of REPLAYED_HEADERS) {
      const v = reply.getHeader(h)
      if (v !== undefined) headers[h] = String(v)
    }
    await finishIdempotentRequest(deps, claim, { status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : '' })
    return payload
  })
}
