import type { Logger } from 'pino'
import pg from 'pg'
import type { ReadCache } from './read-cache.js'

const CHANNEL = 'kupe_read_cache'
const MAX_RETRY_MS = 30_000

/**
 * Hears other processes' changes to cached tables (the triggers of migration 0006) on one
 * dedicated PostgreSQL session and drops what they invalidate. The cache serves only while this
 * session listens: when it breaks, caching stops at once and resumes, empty, after a reconnect.
 */
export function listenForChanges(connectionString: string, cache: ReadCache, logger?: Logger): { close(): Promise<void> } {
  let client: pg.Client | undefined
  let closed = false
  let retryMs = 500
  let timer: NodeJS.Timeout | undefined

  const lost = (err?: Error) => {
    cache.setEnabled(false)
    const broken = client
    client = undefined
    broken?.end().catch(() => {})
    if (closed) return
    logger?.warn({ err: err?.message, retryInMs: retryMs }, 'read cache off: change notifications lost, reconnecting')
    timer = setTimeout(connect, retryMs)
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString, application_name: 'kupe-read-cache' })
    client = c
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return
      // `table` (every row) or `table:<tenant id>` (that tenant's rows: migration 0015).
      const colon = msg.payload.indexOf(':')
      if (colon < 0) cache.invalidate(msg.payload)
      else cache.invalidate(msg.payload.slice(0, colon), msg.payload.slice(colon + 1))
    })
    c.on('error', (err) => client === c && lost(err))
    c.on('end', () => client === c && lost())
    try {
      await c.connect()
      await c.query(`LISTEN ${CHANNEL}`)
      if (closed || client !== c) {
        // Closed (or replaced) while connecting: this session must not outlive its owner.
        await c.end().catch(() => {})
        return
      }
      retryMs = 500
      cache.setEnabled(true)
    } catch (err) {
      if (client === c) lost(err as Error)
    }
  }

  void connect()
  return {
    close: async () => {
      closed = true
      clearTimeout(timer)
      cache.setEnabled(false)
      const c = client
      client = undefined
      await c?.end().catch(() => {})
    },
  }
}
