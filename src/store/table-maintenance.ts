import { sql } from 'kysely'
import type { Executor } from './db.js'

/**
 * PostgreSQL's autovacuum rule (its default threshold of 50 rows plus 20 % of the live ones):
 * the tables whose dead row versions are due a VACUUM. Read from the statistics views, a few
 * dozen rows whatever the data.
 */
export async function listTablesDueVacuum(db: Executor): Promise<string[]> {
  const r = await sql<{ relname: string }>`
    SELECT relname FROM pg_stat_user_tables
    WHERE n_dead_tup > 50 + 0.2 * n_live_tup
    ORDER BY n_dead_tup DESC`.execute(db)
  return r.rows.map((row) => row.relname)
}

/** Dead row versions of `table`, and the index entries that point at them, become free space. */
export async function vacuumTable(db: Executor, table: string): Promise<void> {
  await sql`VACUUM ${sql.table(table)}`.execute(db)
}
