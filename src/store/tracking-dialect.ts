import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely'
import { cachedTablesWritten, type CachedTable, type ReadCache } from './read-cache.js'
import { DatabaseUnavailable } from '../lib/database-unavailable.js'
import { writeScopeOf } from './write-scope.js'

/**
 * A dialect that tells the read cache about every write of this process, whatever code issued
 * it: it sits under Kysely, where each statement and each transaction end passes through.
 */
export class TrackingDialect implements Dialect {
  constructor(private readonly inner: Dialect, private readonly cache: ReadCache) {}
  createAdapter() {
    return this.inner.createAdapter()
  }
  createDriver(): Driver {
    return new TrackingDriver(this.inner.createDriver(), this.cache)
  }
  createIntrospector(db: Kysely<unknown>) {
    return this.inner.createIntrospector(db)
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler()
  }
}

/** One checkout of a connection: the cached tables written since it was acquired, with the tenant scope of each write. */
class TrackedConnection implements DatabaseConnection {
  readonly written = new Map<string, { table: CachedTable; scope: string | undefined }>()
  constructor(readonly inner: DatabaseConnection, private readonly cache: ReadCache) {}

  private track(query: CompiledQuery): void {
    const tables = cachedTablesWritten(query.sql)
    if (tables.length === 0) return
    // The scope of the handle that issued the statement (write-scope.ts), not of the checkout.
    const scope = writeScopeOf(query)
    for (const table of tables) {
      const k = scope === undefined ? table : `${table}\0${scope}`
      if (this.written.has(k)) continue
      this.written.set(k, { table, scope })
      this.cache.beginWrite(table, scope)
    }
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.track(query)
    return this.inner.executeQuery<R>(query)
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.track(query)
    return this.inner.streamQuery<R>(query, chunkSize)
  }
}

class TrackingDriver implements Driver {
  constructor(private readonly inner: Driver, private readonly cache: ReadCache) {}

  init(): Promise<void> {
    return this.inner.init()
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    let conn: DatabaseConnection
    try {
      conn = await this.inner.acquireConnection()
    } catch (err) {
      throw new DatabaseUnavailable(err)
    }
    return new TrackedConnection(conn, this.cache)
  }
  beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(innerOf(conn), settings)
  }
  commitTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(innerOf(conn))
  }
  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(innerOf(conn))
  }
  /** Kysely releases after COMMIT/ROLLBACK (or after a lone statement): the writes are settled. */
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const tracked = conn as TrackedConnection
    try {
      await this.inner.releaseConnection(tracked.inner)
    } finally {
      for (const { table, scope } of tracked.written.values()) this.cache.endWrite(table, scope)
      tracked.written.clear()
    }
  }
  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

const innerOf = (conn: DatabaseConnection) => (conn as TrackedConnection).inner
