import { Counter, Gauge, type Registry } from 'prom-client'
import { freezeShared } from '../lib/frozen-json.js'

/** The tables whose rows the hot read paths cache (docs/decisions/0008-read-cache.md). */
export const CACHED_TABLES = ['tenants', 'api_keys', 'clusters'] as const
export type CachedTable = (typeof CACHED_TABLES)[number]

const WRITE = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi
const MAYBE_WRITE = /insert|update|delete|truncate/i

function isCached(table: string): table is CachedTable {
  return (CACHED_TABLES as readonly string[]).includes(table)
}

/**
 * The cached tables a statement writes, read from its SQL text so that Kysely-built and raw
 * `sql` statements are seen alike. Over-matching (`FOR UPDATE`, `DO UPDATE SET`) only names
 * tables that are not cached, or costs one needless invalidation.
 */
export function cachedTablesWritten(sqlText: string): CachedTable[] {
  if (!MAYBE_WRITE.test(sqlText)) return []
  const found = new Set<CachedTable>()
  for (const m of sqlText.matchAll(WRITE)) {
    const table = m[1]!.toLowerCase()
    if (isCached(table)) found.add(table)
  }
  return [...found]
}

interface Entry {
  value: unknown
  tables: readonly CachedTable[]
}

/**
 * A process-wide cache of rows the authenticated hot path reads on every request (an API key
 * with its tenant, a cluster), kept exact for this process by the store itself:
 *
 * - every statement that writes a cached table, through any code path, drops that table's
 *   entries when it starts and again when its transaction ends (`beginWrite`/`endWrite`, called by
 *   the tracking driver), and nothing is stored while such a write is open;
 * - a read stores its result only if no invalidation of its tables happened while it ran, so
 *   a read that raced a commit can never leave the old row behind;
 * - other processes' writes arrive through PostgreSQL LISTEN/NOTIFY (`invalidate`); while that
 *   channel is down the cache is disabled (`setEnabled(false)`) and every read goes to the database.
 *
 * Values are deep-frozen: a caller that tried to change a shared row would throw, not leak.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>()
  private readonly generation = new Map<CachedTable, number>()
  private readonly openWrites = new Map<CachedTable, number>()
  private enabled: boolean
  private readonly lookups?: Counter<'result'>
  private readonly maxEntries: number

  constructor(opts: { maxEntries?: number; enabled?: boolean; metrics?: Registry } = {}) {
    this.maxEntries = opts.maxEntries ?? 10_000
    this.enabled = opts.enabled ?? true
    for (const t of CACHED_TABLES) {
      this.generation.set(t, 0)
      this.openWrites.set(t, 0)
    }
    if (opts.metrics) {
      this.lookups = new Counter({
        name: 'kupe_read_cache_lookups_total',
        help: 'Hot-path reads (API key, cluster) answered from the read cache (hit) or the database (miss)',
        labelNames: ['result'],
        registers: [opts.metrics],
      })
      const self = this
      new Gauge({
        name: 'kupe_read_cache_enabled',
        help: '1 while the read cache serves (on PostgreSQL: while it hears other processes\' changes), else 0',
        registers: [opts.metrics],
        collect() {
          this.set(self.enabled ? 1 : 0)
        },
      })
    }
  }

  /** The cached value of `key`, else `load()`'s, stored when nothing it depends on changed meanwhile. */
  async read<T extends object>(key: string, tables: readonly CachedTable[], load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.entries.get(key)
    if (hit) {
      this.lookups?.inc({ result: 'hit' })
      return hit.value as T
    }
    this.lookups?.inc({ result: 'miss' })
    const before = this.stamp(tables)
    const value = await load()
    if (value !== undefined && this.enabled && this.stamp(tables) === before && !this.writing(tables)) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(key, { value: freezeShared(value), tables })
    }
    return value
  }

  /** A statement of this process is about to write `table` (its transaction is still open). */
  beginWrite(table: CachedTable): void {
    this.openWrites.set(table, this.openWrites.get(table)! + 1)
    this.invalidate(table)
  }

  /** The transaction holding a `beginWrite` ended (committed or rolled back). */
  endWrite(table: CachedTable): void {
    this.openWrites.set(table, this.openWrites.get(table)! - 1)
    this.invalidate(table)
  }

  /** `table` changed (here or in another process): drop every entry that depends on it. */
  invalidate(table: string): void {
    if (!isCached(table)) return
    this.generation.set(table, this.generation.get(table)! + 1)
    for (const [key, entry] of this.entries) if (entry.tables.includes(table)) this.entries.delete(key)
  }

  /** Off while other processes' changes cannot be heard; turning it on or off starts empty. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled
    for (const t of CACHED_TABLES) this.generation.set(t, this.generation.get(t)! + 1)
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }

  private stamp(tables: readonly CachedTable[]): number {
    let sum = 0
    for (const t of tables) sum += this.generation.get(t)!
    return sum
  }

  private writing(tables: readonly CachedTable[]): boolean {
    return tables.some((t) => this.openWrites.get(t)! > 0)
  }
}
