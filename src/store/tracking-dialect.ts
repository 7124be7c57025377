import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely'
import { cachedTablesWritten, type CachedTable, type ReadCache } from './read-cache.js'
import { DatabaseUnavailable } from '../lib/database-unavailable.js'

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

/** One checkout of a connection: the cached tables written since it was acquired. */
class TrackedConnection implements DatabaseConnection {
  readonly written = new Set<CachedTable>()
  constructor(readonly inner: DatabaseConnection, private readonly cache: ReadCache) {}

  private track(query: CompiledQuery): void {
    for (const table of cachedTablesWritten(query.sql)) {
      if (this.written.has(table)) continue
      this.written.add(table)
      this.cache.beginWrite(table)
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
      for (const table of tracked.written) this.cache.endWrite(table)
      tracked.written.clear()
    }
  }
  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

const innerOf = (conn: DatabaseConnection) => (conn as TrackedConnection).inner
