/** Cancels a timer set by `Clock.setTimer`; calling it again, or after the timer fired, does nothing. */
export type CancelTimer = () => void

/**
 * Time is a dependency: domain code and controllers read it from here, never from Date.now(),
 * and schedule through it, never through setTimeout, so a test can drive both by hand.
 */
export interface Clock {
  now(): Date
  /**
   * Calls `fn` once, `ms` from now on this clock. A real timer does not keep the process alive
   * (a controller's next look must not hold up an exit) unless `keepAlive` says so.
   */
  setTimer(ms: number, fn: () => void, opts?: { keepAlive?: boolean }): CancelTimer
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn, opts) {
    const timer = setTimeout(fn, Math.max(0, ms))
    if (!opts?.keepAlive) timer.unref()
    return () => clearTimeout(timer)
  },
}

/**
 * Resolves after `ms` on `clock`, or rejects with the signal's reason as soon as `signal` aborts
 * (a reconcile that waits must end when its runner stops). The wait keeps the process alive: an
 * awaited sleep on an unreferenced timer would let Node exit in the middle of it.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      cancel()
      reject(signal?.reason)
    }
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, { keepAlive: true })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

interface ManualTimer {
  due: number
  seq: number
  fn: () => void
}

/**
 * A clock tests (and the billing simulations) move by hand. Its timers fire only when the clock
 * is moved past their due time, in due order, each seeing the clock at its target time; a timer
 * set while others fire is due from that target time, so one `advance` never loops.
 */
export class ManualClock implements Clock {
  private readonly timers = new Set<ManualTimer>()
  private seq = 0

  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime())
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const timer: ManualTimer = { due: this.current.getTime() + Math.max(0, ms), seq: this.seq++, fn }
    this.timers.add(timer)
    return () => void this.timers.delete(timer)
  }

  /** Timers not yet fired (tests assert that a stop cancelled them). */
  pendingTimers(): number {
    return this.timers.size
  }

  set(to: Date): void {
    this.current = new Date(to.getTime())
    this.fireDue()
  }

  advance(ms: number): void {
    this.set(new Date(this.current.getTime() + ms))
  }

  private fireDue(): void {
    const now = this.current.getTime()
    const due = [...this.timers].filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq)
    for (const t of due) {
      // A timer cancelled by an earlier one in this batch does not fire.
      if (!this.timers.delete(t)) continue
      t.fn()
    }
  }
}
