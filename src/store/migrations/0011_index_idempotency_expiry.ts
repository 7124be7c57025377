import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// The idempotency purge controller asks at every resync whether a record has been expired long
// enough to purge, then deletes the expired ones: both by expires_at, so index it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS idempotency_records_expires_at`.execute(db)
}
