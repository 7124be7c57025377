import type { Container } from '../container.js'
import type { Controller } from './controller.js'

const MAX_BACKOFF_MS = 60_000

/**
 * Runs controllers: one reconcile per key at a time, a re-list on every signal and every
 * resync period, per-key requeue timers and exponential backoff on error. Everything it needs
 * to resume lives in the database, so a crash at any point only delays work.
 */
export class ControllerRunner {
  private stopped = false
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Map<string, Promise<void>>()
  private readonly dirty = new Set<string>()
  private readonly failures = new Map<string, number>()
  private readonly scheduled = new Map<string, { due: number; timer: NodeJS.Timeout }>()
  private readonly listeners: Array<() => void> = []

  constructor(
    private readonly deps: Container,
    private readonly controllers: Controller[],
  ) {}

  start(): void {
    for (const c of this.controllers) {
      const wake = () => void this.listAndQueue(c)
      for (const s of c.signals) {
        this.deps.signals.on(s, wake)
        this.listeners.push(() => this.deps.signals.off(s, wake))
      }
      const resync = setInterval(wake, this.deps.config.resyncSeconds * 1000)
      resync.unref()
      this.timers.add(resync)
      wake()
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const off of this.listeners) off()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await Promise.allSettled([...this.running.values()])
  }

  private async listAndQueue(c: Controller): Promise<void> {
    if (this.stopped) return
    try {
      for (const key of await c.listKeys(this.deps)) this.queue(c, key)
    } catch (err) {
      this.deps.logger.error({ err, controller: c.name }, 'listing failed; next resync retries')
    }
  }

  /** Queues a reconcile; a key already running is marked dirty and runs once more after. */
  queue(c: Controller, key: string): void {
    if (this.stopped) return
    const id = `${c.name}/${key}`
    if (this.running.has(id)) {
      this.dirty.add(id)
      return
    }
    const run = this.reconcileOnce(c, key, id).finally(() => {
      this.running.delete(id)
      if (this.dirty.delete(id)) this.queue(c, key)
    })
    this.running.set(id, run)
  }

  /** One pending wake-up per key, the earliest asked for; later requests for the same key fold into it. */
  private later(c: Controller, key: string, ms: number): void {
    const id = `${c.name}/${key}`
    const due = Date.now() + ms
    const pending = this.scheduled.get(id)
    if (pending && pending.due <= due) return
    if (pending) {
      clearTimeout(pending.timer)
      this.timers.delete(pending.timer)
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.scheduled.delete(id)
      this.queue(c, key)
    }, ms)
    timer.unref()
    this.timers.add(timer)
    this.scheduled.set(id, { due, timer })
  }

  private async reconcileOnce(c: Controller, key: string, id: string): Promise<void> {
    try {
      const next = await c.reconcile(this.deps, key)
      this.failures.delete(id)
      if (next.after !== undefined) this.later(c, key, next.after)
    } catch (err) {
      if (this.stopped) return
      const n = (this.failures.get(id) ?? 0) + 1
      this.failures.set(id, n)
      const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(n, 10))
      this.deps.logger.warn({ err, controller: c.name, key, retryInMs: wait }, 'reconcile failed')
      this.later(c, key, wait)
    }
  }
}
