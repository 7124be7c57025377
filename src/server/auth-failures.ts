/**
 * Authentication-failure backoff per client IP (spec §4.3): failures counted over a sliding
 * five-minute window; the failure that brings the count to n ≥ 5 starts a penalty of
 * min(2^(n−5), 900) seconds. Successes change nothing.
 */
const WINDOW_MS = 5 * 60 * 1000

export class AuthFailures {
  private readonly byIp = new Map<string, { failures: number[]; penaltyUntil: number }>()

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Seconds of penalty left for this IP (0 when none). */
  penaltySeconds(ip: string): number {
    const e = this.byIp.get(ip)
    if (!e) return 0
    const left = e.penaltyUntil - this.now()
    return left > 0 ? Math.max(1, Math.ceil(left / 1000)) : 0
  }

  record(ip: string): void {
    const t = this.now()
    const e = this.byIp.get(ip) ?? { failures: [], penaltyUntil: 0 }
    e.failures = e.failures.filter((f) => t - f < WINDOW_MS)
    e.failures.push(t)
    const n = e.failures.length
    if (n >= 5) e.penaltyUntil = t + Math.min(2 ** (n - 5), 900) * 1000
    this.byIp.set(ip, e)
    if (this.byIp.size > 50_000) this.prune(t)
  }

  private prune(t: number): void {
    for (const [ip, e] of this.byIp) {
      if (e.penaltyUntil < t && e.failures.every((f) => t - f >= WINDOW_MS)) this.byIp.delete(ip)
    }
  }
}
