import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// The cluster controller's resync lists the unsettled clusters (migration 0015) a page at a
// time, in (created_at, id) order: with a LIMIT the planner takes the partial index whatever it
// believes of `settled`. PGlite has no autovacuum and so never gathers statistics (nor removed
// dead row versions, until the server's own vacuum); unpaged, the listing took 100-150 ms on the
// event loop every 30 s at 50,000 clusters (decision 0039).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX clusters_unsettled_page ON clusters (created_at, id) WHERE NOT settled`.execute(db)
  await sql`DROP INDEX clusters_unsettled`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX clusters_unsettled ON clusters (created_at) WHERE NOT settled`.execute(db)
  await sql`DROP INDEX clusters_unsettled_page`.execute(db)
}
