import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Container } from '../../container.js'
import { errors } from '../../domain/errors.js'
import { addRouteHook, methodsOf } from '../route-hooks.js'
import {
  claimIdempotencyKey,
  deleteIdempotencyKey,
  findIdempotencyRecord,
  finishIdempotencyKey,
  rerunIdempotencyKey,
} from '../../store/idempotency.js'

const DAY_MS = 24 * 3600 * 1000
/** A claim older than this whose request never finished (the server died) no longer blocks. */
const STALE_RUNNING_MS = 60_000
const REPLAYED_HEADERS = ['etag', 'cache-control', 'content-type', 'location', 'kupe-credential-id'] as const

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string }
  }
}

/** Keys compare by structure, not spelling: whitespace and key order do not matter (§7 item 5). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'undefined'
}

function requestHash(req: FastifyRequest): string {
  const path = req.url.split('?')[0]
  return createHash('sha256').update(`${req.method} ${path}\n${canonical(req.body)}`).digest('hex')
}

/**
 * Idempotency-Key on POST (spec §7 item 5, §1.9 step 11): a succeeded request is replayed, the
 * key stays bound to its first request for 24 hours, and stored responses are encrypted at rest
 * because they may hold a raw key or credential.
 */
export function installIdempotency(app: FastifyInstance, deps: Pick<Container, 'db' | 'clock' | 'keys'>): void {
  const isPost = (route: RouteOptions) => methodsOf(route).includes('POST')
  addRouteHook(app, 'preHandler', isPost, async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return
    const key = req.headers['idempotency-key']
    if (key === undefined || !req.principal) return
    if (typeof key !== 'string' || !/^[!-~]{1,255}$/.test(key)) throw errors.invalidIdempotencyKey()
    const tenant = (req.params as Record<string, string>).tenant ?? ''
    const scope = `${tenant}|${req.principal.id}`
    const hash = requestHash(req)
    const now = deps.clock.now()
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await claimIdempotencyKey(deps.db, {
        scope, key, requestHash: hash, at: now, expiresAt: new Date(now.getTime() + DAY_MS),
      })
      if (claimed) {
        req.idempotency = { scope, key }
        return
      }
      const existing = await findIdempotencyRecord(deps.db, scope, key)
      if (!existing) continue
      if (existing.expires_at.getTime() <= now.getTime()) {
        await deleteIdempotencyKey(deps.db, scope, key)
        continue
      }
      if (existing.request_hash !== hash) throw errors.idempotencyReused()
      if (existing.state === 'done' && existing.response) return replay(reply, deps, scope, existing.response)
      const stale = existing.state === 'running' && now.getTime() - existing.created_at.getTime() > STALE_RUNNING_MS
      if (existing.state === 'failed' || stale) {
        await rerunIdempotencyKey(deps.db, scope, key)
        req.idempotency = { scope, key }
        return
      }
      throw errors.idempotencyInUse()
    }
    throw errors.idempotencyInUse()
  })

  addRouteHook(app, 'onSend', isPost, async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = req.idempotency
    if (!claim || reply.getHeader('idempotent-replayed')) return payload
    req.idempotency = undefined
    const ok = reply.statusCode >= 200 && reply.statusCode < 300
    let response: string | null = null
    if (ok) {
      const headers: Record<string, string> = {}
      for (const h of REPLAYED_HEADERS) {
        const v = reply.getHeader(h)
        if (v !== undefined) headers[h] = String(v)
      }
      const stored = JSON.stringify({ status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : '' })
      response = deps.keys.encrypt(stored, `idempotency:${claim.scope}`)
    }
    await finishIdempotencyKey(deps.db, claim.scope, claim.key, { state: ok ? 'done' : 'failed', status: reply.statusCode, response })
    return payload
  })
}

function replay(reply: FastifyReply, deps: Pick<Container, 'keys'>, scope: string, encrypted: string): FastifyReply {
  const stored = JSON.parse(deps.keys.decrypt(encrypted, `idempotency:${scope}`)) as {
    status: number
    headers: Record<string, string>
    body: string
  }
  return reply.code(stored.status).headers({ ...stored.headers, 'idempotent-replayed': 'true' }).send(stored.body)
}
