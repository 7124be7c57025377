import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { CancelTimer, Clock } from '../../lib/clock.js'
import type { Db } from '../../store/db.js'
import { stampApiKeyUses } from '../../store/api-keys.js'

/** `lastUsedAt` moves at most once a minute (spec §1.4). */
export const LAST_USED_RESOLUTION_MS = 60_000

export interface KeyUseStampOptions {
  /** How long a use waits to be written with the others (ms on the clock). */
  delayMs?: number
  /**
   * At most this many keys per statement: on PGlite each statement holds the event loop, about
   * 1.2 ms for 25 keys against 2.7 ms for 100 (measured), so requests wait less between batches.
   */
  batchRows?: number
}

/**
 * API key use stamps, written off the request path in batches (decision 0039). A request that
 * falls due to stamp its key notes the use and goes on; the stamps are written together a moment
 * later, so a thousand keys falling due in the same second cost a handful of statements instead
 * of a thousand, and no request waits for one. Reading the stamps (the key list) flushes first,
 * so this server's own reads show every use it served. A stamp whose write fails is kept for the
 * next flush; one noted by a process that then dies is lost (at most `delayMs` of uses, of a
 * value that is a minute coarse anyway).
 */
export class KeyUseStamps {
  /** Key id → its first use not yet written. */
  private readonly pending = new Map<string, Date>()
  private timer: CancelTimer | undefined
  private writing: Promise<void> = Promise.resolve()
  private closed = false
  private readonly delayMs: number
  private readonly batchRows: number

  constructor(
    private readonly deps: { db: Db; clock: Clock; logger: Logger },
    opts: KeyUseStampOptions = {},
  ) {
    this.delayMs = opts.delayMs ?? 1_000
    this.batchRows = opts.batchRows ?? 25
  }

  /** A use of `keyId` at `at`, to be written within `delayMs`. */
  note(keyId: string, at: Date): void {
    if (!this.pending.has(keyId)) this.pending.set(keyId, at)
    if (this.timer || this.closed) return
    this.timer = this.deps.clock.setTimer(this.delayMs, () => {
      this.timer = undefined
      this.flush().catch((err) => this.deps.logger.warn({ err }, 'API key use stamps not written; the next flush retries'))
    })
  }

  /** Writes every use noted so far; resolves once they are in the database. */
  flush(): Promise<void> {
    const run = this.writing.then(() => this.writePending())
    this.writing = run.catch(() => undefined)
    return run
  }

  /** Writes what is pending and stops scheduling writes (the server is shutting down). */
  async close(): Promise<void> {
    this.closed = true
    this.timer?.()
    this.timer = undefined
    await this.flush()
  }

  private async writePending(): Promise<void> {
    while (this.pending.size > 0) {
      const batch: Array<{ keyId: string; at: Date }> = []
      for (const [keyId, at] of this.pending) {
        batch.push({ keyId, at })
        if (batch.length === this.batchRows) break
      }
      for (const { keyId } of batch) this.pending.delete(keyId)
      try {
        await stampApiKeyUses(this.deps.db, batch, LAST_USED_RESOLUTION_MS)
      } catch (err) {
        // Kept for the next try; it is earlier than any use of the same key noted meanwhile.
        for (const { keyId, at } of batch) this.pending.set(keyId, at)
        this.note(batch[0]!.keyId, batch[0]!.at) // re-arms the timer unless closed
        throw err
      }
      // Requests run between batches (PGlite executes on this thread).
      if (this.pending.size > 0) await nextTurn()
    }
  }
}
