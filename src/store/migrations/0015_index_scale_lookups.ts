import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Issue #14 (docs/decisions/0024-cost-grows-with-the-work.md): every lookup on a path that runs
// per write or per resync uses an index, so its cost does not grow with the number of tenants.
// - `clusters.settled`: a Running cluster at its generation and version with no deletion asked
//   for has nothing left to do when its provider's health cannot change (simulated); the cluster
//   controller's resync lists only the others, through the partial index.
// - `cluster_allocations (cluster_id)` open intervals: closed on every resize and delete.
// - `cluster_credentials (tenant_id)` live credentials: revoked with a key or a member.
// - `tenants (created_at)`: the monthly close lists tenants created before a period's end.
// And the read cache's change notices (migrations 0006/0009) name the tenant whose rows changed
// (`clusters:<tenant id>`), so another server drops that tenant's cached reads only: row-level
// triggers on the tables whose rows belong to one tenant; TRUNCATE still names the table alone.

/** Tables whose every row belongs to one tenant, with the column that names it. */
const TENANT_ROWS: Record<string, string> = {
  tenants: 'id', api_keys: 'tenant_id', clusters: 'tenant_id', members: 'tenant_id', tenant_plans: 'tenant_id',
  cluster_allocations: 'tenant_id', cluster_credentials: 'tenant_id', credits: 'tenant_id',
  observability_samples: 'tenant_id', invoices: 'tenant_id', secrets: 'tenant_id', vault_entries: 'tenant_id',
  vault_versions: 'tenant_id',
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION kupe_notify_read_cache_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('kupe_read_cache', TG_TABLE_NAME || ':' || (to_jsonb(OLD) ->> TG_ARGV[0]));
      END IF;
      IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('kupe_read_cache', TG_TABLE_NAME || ':' || (to_jsonb(NEW) ->> TG_ARGV[0]));
      END IF;
      RETURN NULL;
    END
    $$`.execute(db)
  for (const [table, column] of Object.entries(TENANT_ROWS)) {
    await sql`DROP TRIGGER ${sql.id(`${table}_notify_read_cache`)} ON ${sql.table(table)}`.execute(db)
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache`)}
      AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION kupe_notify_read_cache_rows(${sql.lit(column)})`.execute(db)
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache_truncate`)}
      AFTER TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
  }
  await sql`
    ALTER TABLE clusters ADD COLUMN settled boolean GENERATED ALWAYS AS (
      deletion_requested_at IS NULL
      AND status->>'phase' = 'Running'
      AND status->>'observedGeneration' = generation::text
      AND controller_state->>'runningVersion' = version
    ) STORED`.execute(db)
  await sql`CREATE INDEX clusters_unsettled ON clusters (created_at) WHERE NOT settled`.execute(db)
  await sql`CREATE INDEX cluster_allocations_open ON cluster_allocations (cluster_id) WHERE end_at IS NULL`.execute(db)
  await sql`CREATE INDEX cluster_credentials_tenant_live ON cluster_credentials (tenant_id) WHERE revoked_at IS NULL`.execute(db)
  await sql`CREATE INDEX tenants_created_at ON tenants (created_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(TENANT_ROWS)) {
    await sql`DROP TRIGGER ${sql.id(`${table}_notify_read_cache_truncate`)} ON ${sql.table(table)}`.execute(db)
    await sql`DROP TRIGGER ${sql.id(`${table}_notify_read_cache`)} ON ${sql.table(table)}`.execute(db)
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
  }
  await sql`DROP FUNCTION kupe_notify_read_cache_rows()`.execute(db)
  await sql`DROP INDEX IF EXISTS tenants_created_at`.execute(db)
  await sql`DROP INDEX IF EXISTS cluster_credentials_tenant_live`.execute(db)
  await sql`DROP INDEX IF EXISTS cluster_allocations_open`.execute(db)
  await sql`DROP INDEX IF EXISTS clusters_unsettled`.execute(db)
  await sql`ALTER TABLE clusters DROP COLUMN settled`.execute(db)
}
