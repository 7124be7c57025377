import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Tenant deletion (issue #12 item 4) is asynchronous: the tenant stays, phase `Deleting`, until
// its clusters are torn down, then its rows go. A client that asked for the deletion polls the
// tenant until it is gone (the Kupe CLI's `tenant delete --wait` waits for 404), but its API key
// went with the rows. Each key of a removed tenant is kept here (its HMAC only, as in api_keys)
// for a day, so that key alone can still learn "Tenant not found" instead of "invalid key".
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE deleted_tenant_keys (
      key_id text PRIMARY KEY,
      tenant_name text NOT NULL,
      key_hmac text NOT NULL,
      deleted_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX deleted_tenant_keys_deleted_at ON deleted_tenant_keys (deleted_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS deleted_tenant_keys`.execute(db)
}
