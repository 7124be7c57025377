import { createHash } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { errors } from '../errors.js'
import {
  claimIdempotencyKey,
  deleteIdempotencyKey,
  findIdempotencyRecord,
  finishIdempotencyKey,
  rerunIdempotencyKey,
} from '../../store/idempotency.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys'>

const DAY_MS = 24 * 3600 * 1000
/** A claim older than this whose request never finished (the server died) no longer blocks. */
const STALE_RUNNING_MS = 60_000

/** A POST that holds its Idempotency-Key until it finishes. */
export interface IdempotencyClaim {
  scope: string
  key: string
}

/** What a succeeded request answered, replayed byte for byte to a retry. */
export interface StoredResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export type IdempotencyStart = { kind: 'proceed'; claim: IdempotencyClaim } | { kind: 'replay'; response: StoredResponse }

/** Keys compare by structure, not spelling: whitespace and key order do not matter (§7 item 5). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'undefined'
}

/** What identifies "the same request": method, path and the body's structure. */
export const requestHashOf = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path}\n${canonical(body)}`).digest('hex')

// Stored responses may hold a raw key or credential, so they are encrypted, bound to their scope.
const aadOf = (scope: string) => `idempotency:${scope}`

/**
 * Idempotency-Key on POST (spec §7 item 5, §1.9 step 11): the first request with a key claims
 * it; a retry of a succeeded request is replayed; the key stays bound to its first request for
 * 24 hours; a failed or abandoned request may run again; a concurrent one is refused.
 */
export async function startIdempotentRequest(
  deps: Deps,
  input: { tenant: string; principalId: string; key: string; requestHash: string },
): Promise<IdempotencyStart> {
  if (!/^[!-~]{1,255}$/.test(input.key)) throw errors.invalidIdempotencyKey()
  const claim = { scope: `${input.tenant}|${input.principalId}`, key: input.key }
  const now = deps.clock.now()
  for (let attempt = 0; attempt < 2; attempt++) {
    const claimed = await claimIdempotencyKey(deps.db, {
      ...claim, requestHash: input.requestHash, at: now, expiresAt: new Date(now.getTime() + DAY_MS),
    })
    if (claimed) return { kind: 'proceed', claim }
    const existing = await findIdempotencyRecord(deps.db, claim.scope, claim.key)
    if (!existing) continue
    if (existing.expires_at.getTime() <= now.getTime()) {
      await deleteIdempotencyKey(deps.db, claim.scope, claim.key)
      continue
    }
    if (existing.request_hash !== input.requestHash) throw errors.idempotencyReused()
    if (existing.state === 'done' && existing.response) {
      return { kind: 'replay', response: JSON.parse(deps.keys.decrypt(existing.response, aadOf(claim.scope))) as StoredResponse }
    }
    const stale = existing.state === 'running' && now.getTime() - existing.created_at.getTime() > STALE_RUNNING_MS
    if (existing.state === 'failed' || stale) {
      await rerunIdempotencyKey(deps.db, claim.scope, claim.key)
      return { kind: 'proceed', claim }
    }
    throw errors.idempotencyInUse()
  }
  throw errors.idempotencyInUse()
}

/** Records the outcome: a 2xx response is kept (encrypted) for replay, anything else frees the key. */
export async function finishIdempotentRequest(deps: Deps, claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
  const ok = response.status >= 200 && response.status < 300
  await finishIdempotencyKey(deps.db, claim.scope, claim.key, {
    state: ok ? 'done' : 'failed',
    status: response.status,
    response: ok ? deps.keys.encrypt(JSON.stringify(response), aadOf(claim.scope)) : null,
  })
}
