import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Credits granted by the platform operator (spec §5.8): `remaining` drops as closed invoices apply them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE credits (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      amount text NOT NULL,
      remaining text NOT NULL,
      reason text NOT NULL,
      expires_at timestamptz,
      created_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX credits_tenant ON credits (tenant_id, created_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS credits`.execute(db)
}
