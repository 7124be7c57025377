import { Counter, Gauge, type Registry } from 'prom-client'
import { freezeShared } from '../lib/shared-value.js'

/**
 * The tables whose rows cached reads depend on (docs/decisions/0008-read-cache.md). A write to
 * any of them, by any code of this process or (through migration 0006/0009's triggers) by
 * another process, drops every cached read that declared it.
 */
export const CACHED_TABLES = [
  'tenants', 'api_keys', 'api_key_usage', 'clusters',
  'members', 'plans', 'tenant_plans', 'cluster_allocations', 'cluster_credentials', 'credits',
  'observability_samples', 'invoices', 'secrets', 'vault_entries', 'vault_versions',
  'host_clusters', 'projects', 'apps', 'outbox_events',
] as const
export type CachedTable = (typeof CACHED_TABLES)[number]

const WRITE = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi
const MAYBE_WRITE = /insert|update|delete|truncate/i
const TABLE_INDEX = new Map<string, number>(CACHED_TABLES.map((t, i) => [t, i]))

function isCached(table: string): table is CachedTable {
  return TABLE_INDEX.has(table)
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

/** A value that holds only until a moment (ms since the epoch), e.g. a usage estimate. */
export interface Timed<T> {
  value: T
  until: number
}

/**
 * The tenant a cached value belongs to, when it belongs to one: known before the load (the key
 * names it) or read from the loaded value (an API key's row names its tenant).
 */
export type Scope<T> = string | ((value: T) => string)

/** One tenant's generations, per table: moved by that tenant's scoped writes. */
interface TenantGenerations {
  generation: number[]
  open: number[]
}

interface Entry {
  value: unknown
  tables: readonly number[]
  /**
   * The generations of the tenant whose rows it was loaded from: only writes to that tenant's
   * rows (or unscoped ones) drop it. Held, not looked up by name, so that checking an entry
   * touches no map of every tenant (one probe of a 10,000-entry map per check, measured).
   */
  scope: TenantGenerations | undefined
  /** Sum of the generations it depends on when the value was loaded: any write since moves it. */
  stamp: number
  /** Timed entries only: the value holds for `now` in [from, until). */
  from: number
  until: number
  bytes: number
  /** Its place in the recency order: the value of `ReadCache.sequence` when it was stored or last moved. */
  sequence: number
}

export interface ReadCacheOptions {
  /** At most this many entries (least recently used dropped first). */
  maxEntries?: number
  /** At most about this many bytes of cached values; a single larger value is not cached. */
  maxBytes?: number
  enabled?: boolean
  metrics?: Registry
}

/**
 * A process-wide cache of what the authenticated read routes serve, kept exact for this process
 * by the store itself:
 *
 * - every statement that writes a cached table, through any code path, moves that table's
 *   generation when it starts and again when its transaction ends (`beginWrite`/`endWrite`,
 *   called by the tracking driver); an entry is served only while the generations of every table
 *   it declared are those it was loaded under, and nothing is stored while such a write is open;
 * - a write through `scopedToTenant(db, tenantId)` (store/write-scope.ts) changes only that
 *   tenant's rows, so it moves that table's generation *for that tenant*: it drops the tenant's
 *   own entries and the cross-tenant ones (lists of every tenant), never another tenant's
 *   (decision 0024). A write without a scope drops every entry of its tables, as before;
 * - a read stores its result only if no invalidation of its tables happened while it ran, so
 *   a read that raced a commit can never leave the old value behind;
 * - other processes' writes arrive through PostgreSQL LISTEN/NOTIFY (`invalidate`); while that
 *   channel is down the cache is disabled (`setEnabled(false)`) and every read goes to the database;
 * - a timed entry (`readTimed`) also ends at a moment on the caller's clock, for values that
 *   move with time alone (the usage estimate, credentials that expire).
 *
 * A loader must read everything it returns itself (by id or name): a row the caller fetched
 * before `read` was called may predate a write the stamp no longer shows.
 *
 * Values are deep-frozen: a caller that tried to change a shared value would throw, not leak.
 */
export class ReadCache {
  /**
   * In least-recently-used order, except that a hit on an entry already in the more recent half
   * leaves it in place: the few entries every request reads are not moved on every request.
   */
  private readonly entries = new Map<string, Entry>()
  private sequence = 0
  /** Per table: moved by every write (what entries without a scope depend on). */
  private readonly anyGeneration = new Array<number>(CACHED_TABLES.length).fill(0)
  private readonly anyOpen = new Array<number>(CACHED_TABLES.length).fill(0)
  /** Per table: moved by writes without a scope only (what every scoped entry depends on too). */
  private readonly wideGeneration = new Array<number>(CACHED_TABLES.length).fill(0)
  private readonly wideOpen = new Array<number>(CACHED_TABLES.length).fill(0)
  /** Per tenant, per table: moved by that tenant's scoped writes. Never removed: entries hold them. */
  private readonly scoped = new Map<string, TenantGenerations>()
  private enabled: boolean
  private bytes = 0
  /** Counted in plain numbers, read by the metric when it is scraped (a labelled inc costs a label hash). */
  private hits = 0
  private misses = 0
  private readonly maxEntries: number
  private readonly maxBytes: number

  constructor(opts: ReadCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 50_000
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024
    this.enabled = opts.enabled ?? true
    if (opts.metrics) {
      const self = this
      new Counter({
        name: 'kupe_read_cache_lookups_total',
        help: 'Cached reads (API key, tenant, cluster, lists, …) answered from the read cache (hit) or the database (miss)',
        labelNames: ['result'],
        registers: [opts.metrics],
        collect() {
          this.reset()
          this.inc({ result: 'hit' }, self.hits)
          this.inc({ result: 'miss' }, self.misses)
        },
      })
      new Gauge({
        name: 'kupe_read_cache_enabled',
        help: '1 while the read cache serves (on PostgreSQL: while it hears other processes\' changes), else 0',
        registers: [opts.metrics],
        collect() {
          this.set(self.enabled ? 1 : 0)
        },
      })
      new Gauge({
        name: 'kupe_read_cache_bytes',
        help: 'Approximate size of the values the read cache holds',
        registers: [opts.metrics],
        collect() {
          this.set(self.bytes)
        },
      })
    }
  }

  /**
   * The cached value of `key`, else `load()`'s, stored when nothing it depends on changed
   * meanwhile. `scope`: the tenant whose rows `load` reads (or how to tell from the value), so
   * that other tenants' scoped writes leave the entry alone.
   */
  async read<T extends object>(key: string, tables: readonly CachedTable[], load: () => Promise<T | undefined>, scope?: Scope<T>): Promise<T | undefined> {
    const hit = this.lookup(key, undefined)
    if (hit) return hit.value as T
    const before = this.stampOf(indexesOf(tables), typeof scope === 'string' ? this.seen(scope) : undefined)
    const value = await load()
    if (value !== undefined) this.store(key, tables, scope, before, value, 0, Number.POSITIVE_INFINITY)
    return value
  }

  /**
   * Like `read`, for a value that also ends with time: served for `now` (ms, the caller's clock)
   * in [the `now` it was loaded at, the `until` its loader gave).
   */
  async readTimed<T extends object>(
    key: string, tables: readonly CachedTable[], now: number, load: () => Promise<Timed<T> | undefined>, scope?: string,
  ): Promise<T | undefined> {
    const hit = this.lookup(key, now)
    if (hit) return hit.value as T
    const before = this.stampOf(indexesOf(tables), scope === undefined ? undefined : this.seen(scope))
    const loaded = await load()
    if (loaded === undefined) return undefined
    if (now < loaded.until) this.store(key, tables, scope, before, loaded.value, now, loaded.until)
    return loaded.value
  }

  /**
   * A statement of this process is about to write `table` (its transaction is still open), in
   * `scope`'s rows only when a scope is given.
   */
  beginWrite(table: CachedTable, scope?: string): void {
    this.move(TABLE_INDEX.get(table)!, scope, 1)
  }

  /** The transaction holding a `beginWrite` ended (committed or rolled back). */
  endWrite(table: CachedTable, scope?: string): void {
    this.move(TABLE_INDEX.get(table)!, scope, -1)
  }

  /**
   * `table` changed (here or in another process), in `scope`'s rows only when a scope is given:
   * no entry that depends on those rows is served again.
   */
  invalidate(table: string, scope?: string): void {
    const i = TABLE_INDEX.get(table)
    if (i !== undefined) this.move(i, scope, 0)
  }

  /** Off while other processes' changes cannot be heard; turning it on or off starts empty. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled
    for (let i = 0; i < CACHED_TABLES.length; i++) this.move(i, undefined, 0)
    this.entries.clear()
    this.bytes = 0
  }

  /** Moves the generations a write of table `i` (in `scope`, or all rows) touches; `open` ±1 for a write that starts or ends. */
  private move(i: number, scope: string | undefined, open: -1 | 0 | 1): void {
    this.anyGeneration[i]!++
    this.anyOpen[i]! += open
    if (scope === undefined) {
      this.wideGeneration[i]!++
      this.wideOpen[i]! += open
      return
    }
    const s = this.tenant(scope)
    s.generation[i]!++
    s.open[i]! += open
  }

  /** A tenant's generations as they are, keeping no record for one never written nor stored. */
  private seen(scope: string): TenantGenerations {
    return this.scoped.get(scope) ?? NO_WRITES
  }

  /** A tenant's generations, recorded from now on (a write moves them, an entry holds them). */
  private tenant(scope: string): TenantGenerations {
    let s = this.scoped.get(scope)
    if (!s) this.scoped.set(scope, (s = { generation: new Array<number>(CACHED_TABLES.length).fill(0), open: new Array<number>(CACHED_TABLES.length).fill(0) }))
    return s
  }

  /** Entries that would be served now (invalidated ones linger until evicted or replaced). */
  get size(): number {
    let n = 0
    for (const e of this.entries.values()) if (this.current(e)) n++
    return n
  }

  private lookup(key: string, now: number | undefined): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry && this.current(entry) && (now === undefined ? entry.until === Number.POSITIVE_INFINITY : entry.from <= now && now < entry.until)) {
      if (entry.sequence <= this.sequence - (this.entries.size >> 1)) {
        this.entries.delete(key)
        this.entries.set(key, entry)
        entry.sequence = ++this.sequence
      }
      this.hits++
      return entry
    }
    this.misses++
    return undefined
  }

  private store<T>(key: string, tables: readonly CachedTable[], scopeOf: Scope<T> | undefined, before: number, value: T & object, from: number, until: number): void {
    const indexes = indexesOf(tables)
    const known = typeof scopeOf === 'string' ? this.seen(scopeOf) : undefined
    if (!this.enabled || this.stampOf(indexes, known) !== before || this.writing(indexes, known)) return
    // A scope read from the value: `before` covered every write to these tables, none happened,
    // so the value is current under that tenant's generations as they are now.
    const scope = scopeOf === undefined ? undefined : this.tenant(typeof scopeOf === 'string' ? scopeOf : scopeOf(value))
    const stamp = typeof scopeOf === 'function' ? this.stampOf(indexes, scope) : before
    const bytes = approximateBytes(value)
    if (bytes > this.maxBytes / 16) return
    this.drop(key)
    this.entries.set(key, { value: freezeShared(value), tables: indexes, scope, stamp, from, until, bytes, sequence: ++this.sequence })
    this.bytes += bytes
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.drop(oldest)
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    this.bytes -= entry.bytes
  }

  private current(entry: Entry): boolean {
    return this.stampOf(entry.tables, entry.scope) === entry.stamp
  }

  /**
   * Generations only grow, so an unchanged sum means no write that concerns the entry: without
   * a scope, any write to its tables; with one, an unscoped write or one in that tenant's rows.
   */
  private stampOf(indexes: readonly number[], scope: TenantGenerations | undefined): number {
    let sum = 0
    if (scope === undefined) {
      for (const i of indexes) sum += this.anyGeneration[i]!
      return sum
    }
    const own = scope.generation
    for (const i of indexes) sum += this.wideGeneration[i]! + own[i]!
    return sum
  }

  /** Whether a write that concerns such an entry is open (its value may be about to change). */
  private writing(indexes: readonly number[], scope: TenantGenerations | undefined): boolean {
    if (scope === undefined) return indexes.some((i) => this.anyOpen[i]! > 0)
    const own = scope.open
    return indexes.some((i) => this.wideOpen[i]! > 0 || own[i]! > 0)
  }
}

const NO_WRITES: TenantGenerations = Object.freeze({
  generation: Object.freeze(new Array<number>(CACHED_TABLES.length).fill(0)) as number[],
  open: Object.freeze(new Array<number>(CACHED_TABLES.length).fill(0)) as number[],
})

const indexCache = new WeakMap<readonly CachedTable[], readonly number[]>()

/** Table sets are module constants at every call site, so their index lists are computed once. */
function indexesOf(tables: readonly CachedTable[]): readonly number[] {
  let indexes = indexCache.get(tables)
  if (!indexes) {
    indexes = tables.map((t) => TABLE_INDEX.get(t)!)
    indexCache.set(tables, indexes)
  }
  return indexes
}

/** A rough size of a value (UTF-16 strings, 8-byte numbers, a little per object), for the bound. */
export function approximateBytes(value: unknown): number {
  const seen = new Set<object>()
  const walk = (v: unknown): number => {
    if (typeof v === 'string') return 16 + 2 * v.length
    if (typeof v !== 'object' || v === null) return 8
    if (seen.has(v)) return 0
    seen.add(v)
    if (v instanceof Date) return 24
    let n = 32
    if (Array.isArray(v)) for (const x of v) n += 8 + walk(x)
    else for (const [k, x] of Object.entries(v)) n += 16 + 2 * k.length + walk(x)
    return n
  }
  return walk(value)
}
