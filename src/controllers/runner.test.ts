import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { ManualClock, sleep } from '../lib/clock.js'
import { after, done, TerminalError, type Controller, type ListedKey, type Requeue } from './controller.js'
import { ControllerRunner } from './runner.js'

// The runner on a hand-moved clock: every requeue, backoff and resync fires only when the test
// moves time, so each assertion says exactly when a reconcile ran.

const RESYNC_MS = 60_000
const silent = pino({ level: 'silent' })

interface Harness {
  clock: ManualClock
  registry: Registry
  runner: ControllerRunner<object>
  /** Clock readings (ms since start) of every reconcile of the key. */
  calls: number[]
}

function harness(controller: Omit<Controller<object>, 'name' | 'listKeys'> & { listKeys?: Controller<object>['listKeys'] }, signals?: EventEmitter): Harness {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const start = clock.now().getTime()
  const registry = new Registry()
  const calls: number[] = []
  const c: Controller<object> = {
    name: 'widgets',
    signals: ['widgets'],
    listKeys: controller.listKeys ?? (async () => ['w1']),
    onTerminal: controller.onTerminal,
    async reconcile(deps, key, ctx) {
      calls.push(clock.now().getTime() - start)
      return controller.reconcile(deps, key, ctx)
    },
  }
  const runner = new ControllerRunner<object>({}, [c], { clock, logger: silent, registry, resyncMs: RESYNC_MS, signals })
  return { clock, registry, runner, calls }
}

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'kupe_reconcile_total')
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.result), v.value]))
}

test('a requeue runs the key again exactly when the clock reaches it', async () => {
  let n = 0
  const h = harness({ reconcile: async (): Promise<Requeue> => (++n === 1 ? after(1_000) : done) })
  h.runner.start()
  await h.runner.idle()
  assert.deepEqual(h.calls, [0])
  h.clock.advance(999)
  await h.runner.idle()
  assert.deepEqual(h.calls, [0], 'not before it is due')
  h.clock.advance(1)
  await h.runner.idle()
  assert.deepEqual(h.calls, [0, 1_000])
  await h.runner.stop()
})

test('errors are retried with a backoff that doubles up to its ceiling; success resets it', async () => {
  let fail = 10
  const h = harness({
    reconcile: async () => {
      if (fail-- > 0) throw new Error('apiserver unreachable')
      return done
    },
  })
  h.runner.start()
  await h.runner.idle()
  // Move the clock in 100 ms steps so each retry is seen at its due time.
  while (h.calls.length < 11) {
    h.clock.advance(100)
    await h.runner.idle()
  }
  const gaps = h.calls.slice(1).map((t, i) => t - h.calls[i]!)
  assert.deepEqual(gaps.slice(0, 8), [500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000])
  assert.deepEqual(await counts(h.registry), { error: 10, success: 1 })
  await h.runner.stop()
})

test('a terminal error is recorded once and not retried until the object changes', async () => {
  const recorded: string[] = []
  let generation = 1
  const h = harness({
    listKeys: async (): Promise<ListedKey[]> => [{ key: 'w1', generation }],
    reconcile: async () => {
      if (generation === 1) throw new TerminalError('replicas must be positive', 'InvalidSpec')
      return done
    },
    onTerminal: async (_deps, key, err) => void recorded.push(`${key}: ${err.reason}: ${err.message}`),
  })
  h.runner.start()
  await h.runner.idle()
  assert.deepEqual(recorded, ['w1: InvalidSpec: replicas must be positive'])
  // Resyncs and an event about the same generation leave it alone: no backoff loop.
  h.clock.advance(RESYNC_MS * 3)
  await h.runner.idle()
  h.runner.enqueue('widgets', 'w1', 1)
  await h.runner.idle()
  assert.deepEqual(h.calls, [0])
  // The spec moved: the next look runs it, and this time it succeeds.
  generation = 2
  h.clock.advance(RESYNC_MS)
  await h.runner.idle()
  assert.equal(h.calls.length, 2)
  assert.deepEqual(await counts(h.registry), { terminal: 1, success: 1 })
  assert.equal(recorded.length, 1)
  await h.runner.stop()
})

test('an event about a key without a generation reruns a terminal failure', async () => {
  const h = harness({ listKeys: async () => ['w1'], reconcile: async () => { throw new TerminalError('bad') } })
  h.runner.start()
  await h.runner.idle()
  h.clock.advance(RESYNC_MS)
  await h.runner.idle()
  assert.equal(h.calls.length, 1, 'the resync does not retry it')
  h.runner.enqueue('widgets', 'w1')
  await h.runner.idle()
  assert.equal(h.calls.length, 2)
  await h.runner.stop()
})

test('stop() cancels timers, aborts the signal a waiting reconcile holds, and waits for it', async () => {
  let sawAbort: unknown
  let finished = false
  const h = harness({
    reconcile: async (_deps, _key, ctx) => {
      try {
        await sleep(h.clock, 3_600_000, ctx.signal)
      } catch (err) {
        sawAbort = err
        await new Promise((r) => setImmediate(r)) // cleanup that takes a moment
        finished = true
        throw err
      }
      return done
    },
  })
  h.runner.start()
  await new Promise((r) => setImmediate(r))
  assert.equal(h.calls.length, 1)
  assert.ok(h.clock.pendingTimers() >= 2, 'the resync and the reconcile wait are pending')
  await h.runner.stop()
  assert.ok(finished, 'stop() returned only after the reconcile ended')
  assert.match(String(sawAbort), /controller runner stopped/)
  assert.equal(h.clock.pendingTimers(), 0, 'no timer survives stop()')
  assert.deepEqual(await counts(h.registry), {}, 'a reconcile cut short by stop is not an error')
  h.clock.advance(RESYNC_MS * 10)
  h.runner.enqueue('widgets', 'w1')
  await h.runner.idle()
  assert.equal(h.calls.length, 1, 'nothing runs after stop()')
})

test('one reconcile per key at a time: an event during a run makes exactly one more run', async () => {
  let release!: () => void
  let active = 0
  let maxActive = 0
  const h = harness({
    reconcile: async () => {
      active++
      maxActive = Math.max(maxActive, active)
      if (h.calls.length === 1) await new Promise<void>((r) => (release = r))
      active--
      return done
    },
  })
  h.runner.start()
  await new Promise((r) => setImmediate(r))
  for (let i = 0; i < 5; i++) h.runner.enqueue('widgets', 'w1')
  release()
  await h.runner.idle()
  assert.equal(h.calls.length, 2)
  assert.equal(maxActive, 1)
  await h.runner.stop()
})

test('a signal lists again; metrics count results and observe every duration', async () => {
  const signals = new EventEmitter()
  let keys = ['a']
  const h = harness({ listKeys: async () => keys, reconcile: async (_d, key) => (key === 'b' ? after(10) : done) }, signals)
  h.runner.start()
  await h.runner.idle()
  keys = ['a', 'b']
  signals.emit('widgets')
  await h.runner.idle()
  assert.equal(h.calls.length, 3)
  assert.deepEqual(await counts(h.registry), { success: 2, requeue: 1 })
  const text = await h.registry.metrics()
  assert.match(text, /kupe_reconcile_duration_seconds_count\{controller="widgets"\} 3/)
  await h.runner.stop()
  signals.emit('widgets')
  await h.runner.idle()
  assert.equal(h.calls.length, 3, 'a stopped runner no longer listens')
  assert.equal(signals.listenerCount('widgets'), 0)
})

test('a keyed signal reconciles that key alone and lists nothing; an unkeyed one lists every key', async () => {
  const signals = new EventEmitter()
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const seen: string[] = []
  let listings = 0
  const keys = Array.from({ length: 100 }, (_, i) => `w${i}`)
  const c: Controller<object> = {
    name: 'widgets',
    signals: ['widgets'],
    keyedSignals: ['widgets'],
    listKeys: async () => {
      listings++
      return keys
    },
    reconcile: async (_d, key) => {
      seen.push(key)
      return done
    },
  }
  const runner = new ControllerRunner<object>({}, [c], { clock, logger: silent, registry: new Registry(), resyncMs: RESYNC_MS, signals })
  runner.start()
  await runner.idle()
  assert.equal(listings, 1)
  assert.equal(seen.length, 100)
  seen.length = 0
  // A hundred writes, each naming its key: a hundred reconciles, not a hundred listings of a hundred.
  for (const k of keys) signals.emit('widgets', k)
  await runner.idle()
  assert.equal(listings, 1, 'no listing for a keyed wake-up')
  assert.deepEqual(seen.sort(), [...keys].sort())
  seen.length = 0
  signals.emit('widgets')
  await runner.idle()
  assert.equal(listings, 2, 'a wake-up without a key lists again')
  assert.equal(seen.length, 100)
  await runner.stop()
})
