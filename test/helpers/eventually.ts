import { setTimeout as pause } from 'node:timers/promises'

/**
 * Thrown by a check to end the wait at once, with this error: what is awaited can no longer
 * happen (the process died, the cluster failed), so polling on would only hide it.
 */
export class StopPolling extends Error {
  override name = 'StopPolling'
}

/**
 * The one poll helper of the tests and benchmarks (no fixed sleeps): calls `check` until it
 * returns a value other than undefined, pausing `intervalMs` between tries. After `timeoutMs` it
 * fails with what was awaited (`what`, computed at that moment when a function) and the last
 * error the check threw; a check that throws `StopPolling` fails the wait at once. The deadline
 * is on the monotonic clock, so a test that moves a fake or system clock does not shift it.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what: string | (() => string) = 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (err) {
      if (err instanceof StopPolling) throw err
      last = err
    }
    if (performance.now() > deadline) {
      const awaited = typeof what === 'function' ? what() : what
      const why = last === undefined ? '' : `; last error: ${last instanceof Error ? last.message : String(last)}`
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${awaited}${why}`, { cause: last })
    }
    await pause(intervalMs)
  }
}
