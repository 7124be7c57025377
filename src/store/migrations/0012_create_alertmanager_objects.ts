import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// A tenant's Alertmanager configuration (issue #12): one row per receiver, plus one for the routes
// and one for the global section, each with its own resourceVersion (so If-Match on one never
// trips over a write of another). The body as written is encrypted under the master key (it holds
// webhook URLs, passwords, tokens); `masked` is the same body with Alertmanager's secret fields
// replaced by "<secret>", what GET answers without decrypting.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE alertmanager_objects (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('receiver', 'routes', 'global')),
      name text NOT NULL,
      ciphertext text NOT NULL,
      masked jsonb NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, kind, name)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alertmanager_objects`.execute(db)
}
