import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, Migrator, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { listenForChanges } from './change-listener.js'
import type { DB } from './db.js'
import { migrationProvider } from './migrations/index.js'
import { PGliteDialect } from './pglite-dialect.js'
import { ReadCache } from './read-cache.js'
import { TrackingDialect } from './tracking-dialect.js'

const INT8_OID = 20

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; undefined for PGlite in dataDir. */
  url?: string
  dataDir: string
  /** PGlite only: an in-memory database (tests that want a throwaway store). */
  memory?: boolean
  /** Where the read cache counts its hits and misses. */
  metrics?: Registry
  logger?: Logger
}

export interface Database {
  db: Kysely<DB>
  engine: 'postgres' | 'pglite'
  /** What the read routes serve, kept exact by every write through `db` (docs/decisions/0008-read-cache.md). */
  readCache: ReadCache
  close(): Promise<void>
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? (v: string) => v : pg.types.getTypeParser(oid, format) }
    // A database host that does not answer fails a request (and /readyz) within 5 s instead of hanging it.
    const pool = new pg.Pool({ connectionString: opts.url, max: 10, types, connectionTimeoutMillis: 5_000 })
    // Other processes may share this database: the cache serves only while it hears their changes.
    const readCache = new ReadCache({ enabled: false, metrics: opts.metrics })
    const db = new Kysely<DB>({ dialect: new TrackingDialect(new PostgresDialect({ pool }), readCache) })
    const listener = listenForChanges(opts.url, readCache, opts.logger)
    return {
      db,
      engine: 'postgres',
      readCache,
      close: async () => {
        await listener.close()
        await db.destroy()
      },
    }
  }
  let dir: string | undefined
  if (!opts.memory) {
    dir = join(opts.dataDir, 'pglite')
    mkdirSync(dir, { recursive: true })
  }
  const pglite = await PGlite.create({ dataDir: dir, parsers: { [INT8_OID]: (v: string) => v } })
  // PGlite is this process's alone: every write passes through `db`, so the cache is always on.
  const readCache = new ReadCache({ metrics: opts.metrics })
  const db = new Kysely<DB>({ dialect: new TrackingDialect(new PGliteDialect(pglite), readCache) })
  return { db, engine: 'pglite', readCache, close: () => db.destroy() }
}

export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
}

export async function pingDatabase(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db)
    return true
  } catch {
    return false
  }
}

/** The next value of the one server-wide resourceVersion counter (spec §1.6). */
export async function nextResourceVersion(db: Kysely<DB> | Transaction<DB>): Promise<string> {
  const r = await sql<{ v: string }>`SELECT nextval('resource_version_seq')::text AS v`.execute(db)
  return r.rows[0]!.v
}
