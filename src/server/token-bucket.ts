/**
 * Per-key token buckets (spec §4.1): `burst` tokens, refilled at `perSecond`. In memory: one
 * replica's view; docs/decisions/0003-rate-limits.md says why and what changes for N replicas.
 */
export interface BucketResult {
  allowed: boolean
  /** Whole tokens left after this request. */
  remaining: number
  /** Seconds until the bucket is full again (rounded up). */
  resetSeconds: number
  /** Seconds until one token is available, when refused (integer ≥ 1). */
  retryAfter: number
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): BucketResult {
    const t = this.now()
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond)
    b.at = t
    const allowed = b.tokens >= 1
    if (allowed) b.tokens -= 1
    this.buckets.set(key, b)
    if (this.buckets.size > 50_000) this.prune(t)
    return {
      allowed,
      remaining: Math.floor(b.tokens),
      resetSeconds: Math.ceil((this.burst - b.tokens) / this.perSecond),
      retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond)),
    }
  }

  /** Seconds to refill an empty bucket, for RateLimit-Policy's w. */
  get windowSeconds(): number {
    return Math.ceil(this.burst / this.perSecond)
  }

  private prune(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k)
    }
  }
}
