import { formatElapsed } from './duration.js'
import { CliError, waitTimeout } from './errors.js'
import type { Io } from './io.js'
import { createProgress } from './progress.js'

export interface WaitSpec<T> {
  io: Io
  /** What the live line is about, e.g. `app web`. */
  label: string
  /** How messages name it, e.g. `cluster "web"` (default: the label). */
  subject?: string
  /** The object now; undefined once it is gone. */
  read(): Promise<T | undefined>
  /** Done: the object as wanted, or (`gone`) deleted. */
  reached(current: T | undefined): boolean
  /** Why it can no longer get there (fail at once), if it cannot. */
  blocked?(current: T): string | undefined
  /** Phase and detail for the live line. */
  describe(current: T): { phase: string; detail?: string }
  /** How the goal is said in a timeout message, e.g. `Ready`. */
  goal: string
  timeoutMs: number
  pollMs?: number
}

const TICK_MS = 250

/**
 * Polls `read` until `reached`, redrawing phase, elapsed time and detail; fails at once when
 * `blocked` says so, and with a timeout (exit 8) at the deadline. Shared by every `--wait`.
 */
export async function waitUntil<T>(spec: WaitSpec<T>): Promise<{ current: T | undefined; elapsedMs: number }> {
  const { io } = spec
  const started = io.now()
  const deadline = started + spec.timeoutMs
  const pollMs = spec.pollMs ?? 1000
  let seen: { phase: string; detail?: string } = { phase: 'waiting' }
  const progress = createProgress(io, () => `${spec.label}:`)
  const show = () =>
    progress.update(`${seen.phase} · ${formatElapsed(io.now() - started)}${seen.detail ? ` · ${seen.detail}` : ''}`, `${seen.phase} ${seen.detail ?? ''}`)
  try {
    for (;;) {
      const current = await spec.read()
      if (current !== undefined) seen = spec.describe(current)
      show()
      if (spec.reached(current)) return { current, elapsedMs: io.now() - started }
      const why = current !== undefined ? spec.blocked?.(current) : undefined
      if (why) throw new CliError('other', why)
      if (io.now() >= deadline) {
        throw waitTimeout(`timed out after ${formatElapsed(spec.timeoutMs)} waiting for ${spec.subject ?? spec.label} to be ${spec.goal} (phase ${seen.phase})`)
      }
      const wakeAt = Math.min(io.now() + pollMs, deadline)
      while (io.now() < wakeAt) {
        await io.sleep(Math.min(TICK_MS, wakeAt - io.now()))
        show()
      }
    }
  } finally {
    progress.stop()
  }
}
