import { unavailable } from '../framework/errors.js'

/** How the client retries; tests and `--no-retry`-style callers can shrink it. */
export interface RetryPolicy {
  /** Retries after 429, each after the server's Retry-After (capped). */
  rateLimitRetries: number
  /** Retries after 502/503/504 or a network failure, for requests that are safe to repeat. */
  unavailableRetries: number
  /** First backoff delay; doubles each time, plus up to 25 % jitter. */
  backoffMs: number
  /** Retry-After is honoured up to this many seconds. */
  maxRetryAfterSeconds: number
  /** Per attempt; a hung server counts as unreachable. */
  attemptTimeoutMs: number
}

export const defaultRetryPolicy: RetryPolicy = {
  rateLimitRetries: 3,
  unavailableRetries: 3,
  backoffMs: 500,
  maxRetryAfterSeconds: 30,
  attemptTimeoutMs: 60_000,
}

export interface RetryHooks {
  sleep(ms: number): Promise<void>
  /** One line on stderr per retry, so a waiting user knows why. */
  notice(message: string): void
}

const UNAVAILABLE = new Set([502, 503, 504])

/**
 * A request may be sent again when repeating it cannot do a second, different thing: GET, HEAD,
 * PUT and DELETE are idempotent by definition; a POST only with an Idempotency-Key (the server
 * replays it, spec §7 item 5). PATCH and key-less POST are never repeated.
 */
export function isSafeToRepeat(request: Request): boolean {
  const m = request.method.toUpperCase()
  if (m === 'GET' || m === 'HEAD' || m === 'PUT' || m === 'DELETE') return true
  return m === 'POST' && request.headers.has('idempotency-key')
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000))
}

async function isIdempotencyKeyInUse(res: Response): Promise<boolean> {
  if (res.status !== 409) return false
  try {
    const body = (await res.clone().json()) as { code?: unknown }
    return body.code === 'IDEMPOTENCY_KEY_IN_USE'
  } catch {
    return false
  }
}

function describe(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === 'string' ? code : cause.message
  }
  return String(cause)
}

interface Attempts {
  rateLimited: number
  failures: number
}

/** Exponential backoff from `backoffMs`, doubled per failure, plus up to 25 % jitter. */
function backoffMs(policy: RetryPolicy, failures: number): number {
  const base = policy.backoffMs * 2 ** (failures - 1)
  return Math.round(base + Math.random() * base * 0.25)
}

/** How long to wait before sending again, with the notice to show; undefined: return `res`. */
async function retryDelay(res: Response, safe: boolean, policy: RetryPolicy, n: Attempts): Promise<{ ms: number; notice?: string } | undefined> {
  const waitSeconds = () => Math.min(retryAfterSeconds(res.headers.get('retry-after'), Date.now()) ?? 1, policy.maxRetryAfterSeconds)
  if (res.status === 429 && n.rateLimited < policy.rateLimitRetries) {
    n.rateLimited++
    const s = waitSeconds()
    // Jitter keeps clients refused together from coming back together.
    return { ms: s * 1000 + Math.random() * 250, notice: `rate limited; retrying in ${s}s (${n.rateLimited}/${policy.rateLimitRetries})` }
  }
  if ((await isIdempotencyKeyInUse(res)) && n.rateLimited < policy.rateLimitRetries) {
    n.rateLimited++
    return { ms: waitSeconds() * 1000 }
  }
  if (UNAVAILABLE.has(res.status) && safe && n.failures < policy.unavailableRetries) {
    n.failures++
    const ms = backoffMs(policy, n.failures)
    return { ms, notice: `server answered ${res.status}; retrying in ${(ms / 1000).toFixed(1)}s` }
  }
  return undefined
}

/**
 * The transport under the generated client: the retry rules of the CLI in one place.
 * 429 is retried for every method (the server refuses it unprocessed, spec §4.1); 409
 * IDEMPOTENCY_KEY_IN_USE is retried after Retry-After (the first attempt is still running);
 * 502/503/504 and network failures only when `isSafeToRepeat`, with exponential backoff.
 * A network failure that is not retried becomes an `unavailable` error (exit 7).
 */
export function retryingFetch(policy: RetryPolicy, hooks: RetryHooks, inner: typeof fetch = globalThis.fetch) {
  return async (request: Request): Promise<Response> => {
    const safe = isSafeToRepeat(request)
    const target = `${request.method} ${new URL(request.url).pathname}`
    const n: Attempts = { rateLimited: 0, failures: 0 }
    for (;;) {
      let res: Response
      try {
        res = await inner(request.clone(), { signal: AbortSignal.timeout(policy.attemptTimeoutMs) })
      } catch (err) {
        n.failures++
        const reason = describe(err)
        if (!safe || n.failures > policy.unavailableRetries) {
          throw unavailable(`cannot reach the Kupe API at ${new URL(request.url).origin} (${reason})`)
        }
        const ms = backoffMs(policy, n.failures)
        hooks.notice(`${target}: server unreachable (${reason}); retrying in ${(ms / 1000).toFixed(1)}s`)
        await hooks.sleep(ms)
        continue
      }
      const delay = await retryDelay(res, safe, policy, n)
      if (!delay) return res
      if (delay.notice) hooks.notice(`${target}: ${delay.notice}`)
      await res.body?.cancel()
      await hooks.sleep(delay.ms)
    }
  }
}
