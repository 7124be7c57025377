import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { CancelTimer, Clock } from '../lib/clock.js'
import { TerminalError, type Controller, type ListedKey } from './controller.js'
import { reconcileMetrics, type ReconcileMetrics, type ReconcileResult } from './reconcile-metrics.js'

/**
 * Something that emits named wake-ups (the container's EventEmitter). A wake-up may name the
 * key that changed: a controller that lists the signal in `keyedSignals` queues that key alone.
 */
export interface SignalSource<S extends string> {
  on(signal: S, listener: (key?: string) => void): unknown
  off(signal: S, listener: (key?: string) => void): unknown
}

export interface RunnerOptions<S extends string> {
  /** Every timer — requeues, backoff, resync — is set on this clock. */
  clock: Clock
  logger: Pick<Logger, 'warn' | 'error'>
  /** Reconcile metrics go here (kupe_reconcile_total, kupe_reconcile_duration_seconds). */
  registry: Registry
  /** Each controller lists again this often without any wake-up. */
  resyncMs: number
  signals?: SignalSource<S>
  /** Retry delays after errors: `initialMs`, doubling up to `maxMs` (default 500 ms … 60 s). */
  backoff?: { initialMs: number; maxMs: number }
}

/** Why a key is queued: a resync does not rerun a terminal failure, an event does (unless it names the same generation). */
type Cause = 'event' | 'resync'

/** The runner's bookkeeping for one controller. */
interface Lane<D> {
  controller: Controller<D, string>
  /** The generation last seen for each key (undefined when its source does not say). */
  generations: Map<string, number | undefined>
  running: Map<string, Promise<void>>
  /** Keys queued while they ran: they run once more right after. */
  dirty: Set<string>
  failures: Map<string, number>
  scheduled: Map<string, { due: number; cancel: CancelTimer }>
  /** Keys whose last reconcile failed terminally, with the generation that failed. */
  terminal: Map<string, number | undefined>
}

/**
 * Runs controllers (STYLE rule 10): one reconcile per key at a time, the named key on a keyed
 * signal, a re-list on any other signal and every resync, one pending requeue per key, exponential backoff on error, no retry after a
 * `TerminalError`. Time comes from the injected clock, so a test drives requeues by moving it.
 * `stop()` cancels every timer, aborts the signal running reconciles hold, and awaits them.
 */
export class ControllerRunner<D, S extends string = string> {
  private stopped = false
  private started = false
  private readonly lanes = new Map<string, Lane<D>>()
  private readonly listings = new Set<Promise<void>>()
  private readonly unsubscribe: Array<() => void> = []
  private readonly resyncTimers = new Map<string, CancelTimer>()
  private readonly abort = new AbortController()
  private readonly metrics: ReconcileMetrics
  private readonly backoff: { initialMs: number; maxMs: number }

  constructor(
    private readonly deps: D,
    controllers: ReadonlyArray<Controller<D, S>>,
    private readonly opts: RunnerOptions<S>,
  ) {
    for (const controller of controllers) {
      if (this.lanes.has(controller.name)) throw new Error(`two controllers are named "${controller.name}"`)
      this.lanes.set(controller.name, {
        controller: controller as Controller<D, string>,
        generations: new Map(),
        running: new Map(),
        dirty: new Set(),
        failures: new Map(),
        scheduled: new Map(),
        terminal: new Map(),
      })
    }
    this.metrics = reconcileMetrics(opts.registry)
    this.backoff = opts.backoff ?? { initialMs: 500, maxMs: 60_000 }
  }

  start(): void {
    if (this.started || this.stopped) return
    this.started = true
    for (const lane of this.lanes.values()) {
      const signals = (lane.controller.signals ?? []) as readonly S[]
      const keyed = new Set<string>(lane.controller.keyedSignals ?? [])
      for (const s of signals) {
        // A wake-up that names a key costs that key's reconcile, not a listing of every key.
        const wake = (key?: string) => (key !== undefined && keyed.has(s) ? this.queue(lane, key, 'event', undefined) : this.list(lane, 'event'))
        this.opts.signals?.on(s, wake)
        this.unsubscribe.push(() => this.opts.signals?.off(s, wake))
      }
      this.resync(lane)
    }
  }

  /** An event about one key (an informer saw its object change): reconcile it soon. */
  enqueue(controller: string, key: string, generation?: number): void {
    const lane = this.lanes.get(controller)
    if (!lane) throw new Error(`no controller "${controller}" in this runner`)
    this.queue(lane, key, 'event', generation)
  }

  /** Resolves once no listing and no reconcile is running (tests use it to let work settle). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.listings, ...[...this.lanes.values()].flatMap((l) => [...l.running.values()])]
      if (busy.length === 0) return
      await Promise.allSettled(busy)
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const off of this.unsubscribe.splice(0)) off()
    for (const cancel of this.resyncTimers.values()) cancel()
    this.resyncTimers.clear()
    for (const lane of this.lanes.values()) {
      for (const s of lane.scheduled.values()) s.cancel()
      lane.scheduled.clear()
    }
    this.abort.abort(new Error('controller runner stopped'))
    await this.idle()
  }

  /** Lists now, then again every resync period. */
  private resync(lane: Lane<D>): void {
    if (this.stopped) return
    this.list(lane, 'resync')
    this.resyncTimers.set(lane.controller.name, this.opts.clock.setTimer(this.opts.resyncMs, () => this.resync(lane)))
  }

  private list(lane: Lane<D>, cause: Cause): void {
    if (this.stopped) return
    const listing = (async () => {
      let keys: readonly ListedKey[]
      try {
        keys = await lane.controller.listKeys(this.deps)
      } catch (err) {
        this.opts.logger.error({ err, controller: lane.controller.name }, 'listing failed; the next resync retries')
        return
      }
      for (const k of keys) {
        if (typeof k === 'string') this.queue(lane, k, cause, undefined)
        else this.queue(lane, k.key, cause, k.generation)
      }
    })()
    this.listings.add(listing)
    void listing.finally(() => this.listings.delete(listing))
  }

  /** Whether a terminal failure of `key` still stands for this wake-up. */
  private stillTerminal(lane: Lane<D>, key: string, cause: Cause, generation: number | undefined): boolean {
    if (!lane.terminal.has(key)) return false
    const failed = lane.terminal.get(key)
    const sameGeneration = generation !== undefined && generation === failed
    if (cause === 'resync' ? generation === undefined || sameGeneration : sameGeneration) return true
    lane.terminal.delete(key)
    return false
  }

  private queue(lane: Lane<D>, key: string, cause: Cause, generation: number | undefined): void {
    if (this.stopped) return
    if (generation !== undefined || !lane.generations.has(key)) lane.generations.set(key, generation)
    if (this.stillTerminal(lane, key, cause, generation)) return
    // A failing key waits for its backoff; a resync only catches up on missed events.
    if (cause === 'resync' && lane.failures.has(key) && lane.scheduled.has(key)) return
    if (lane.running.has(key)) {
      lane.dirty.add(key)
      return
    }
    // This run decides the next look for itself.
    lane.scheduled.get(key)?.cancel()
    lane.scheduled.delete(key)
    const run = this.reconcileOnce(lane, key).finally(() => {
      lane.running.delete(key)
      if (lane.dirty.delete(key)) this.queue(lane, key, 'event', lane.generations.get(key))
      // A key with nothing left to do forgets its generation (the next listing or event names
      // it again): kept, every key ever seen — each deleted cluster's too — stayed in memory.
      else if (!lane.scheduled.has(key)) lane.generations.delete(key)
    })
    lane.running.set(key, run)
  }

  /** One pending wake-up per key, the earliest asked for; later requests fold into it. */
  private later(lane: Lane<D>, key: string, ms: number): void {
    if (this.stopped) return
    const due = this.opts.clock.now().getTime() + ms
    const pending = lane.scheduled.get(key)
    if (pending && pending.due <= due) return
    pending?.cancel()
    const cancel = this.opts.clock.setTimer(ms, () => {
      lane.scheduled.delete(key)
      this.queue(lane, key, 'event', lane.generations.get(key))
    })
    lane.scheduled.set(key, { due, cancel })
  }

  private async reconcileOnce(lane: Lane<D>, key: string): Promise<void> {
    const c = lane.controller
    const generation = lane.generations.get(key)
    const started = performance.now()
    let result: ReconcileResult
    try {
      const next = await c.reconcile(this.deps, key, { signal: this.abort.signal })
      lane.failures.delete(key)
      result = next.after === undefined ? 'success' : 'requeue'
      if (next.after !== undefined) this.later(lane, key, next.after)
    } catch (err) {
      // A reconcile cut short by stop() did not fail.
      if (this.abort.signal.aborted) return
      result = err instanceof TerminalError ? await this.terminal(lane, key, generation, err) : this.failed(lane, key, err)
    }
    this.metrics.observe(c.name, result, (performance.now() - started) / 1000)
  }

  private async terminal(lane: Lane<D>, key: string, generation: number | undefined, err: TerminalError): Promise<ReconcileResult> {
    const c = lane.controller
    try {
      await c.onTerminal?.(this.deps, key, err)
    } catch (recordErr) {
      // The reason is not recorded yet: retry like any error until it is.
      return this.failed(lane, key, recordErr)
    }
    lane.failures.delete(key)
    lane.terminal.set(key, generation)
    this.opts.logger.warn({ controller: c.name, key, reason: err.reason, message: err.message }, 'reconcile failed terminally; not retried until the object changes')
    return 'terminal'
  }

  private failed(lane: Lane<D>, key: string, err: unknown): ReconcileResult {
    const n = (lane.failures.get(key) ?? 0) + 1
    lane.failures.set(key, n)
    const wait = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(n - 1, 30))
    this.opts.logger.warn({ err, controller: lane.controller.name, key, attempt: n, retryInMs: wait }, 'reconcile failed')
    this.later(lane, key, wait)
    return 'error'
  }
}
