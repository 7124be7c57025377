import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// The read cache now also holds tenant views, usage estimates, lists, secrets, vault rows,
// credentials and invoices (docs/decisions/0008-read-cache.md), so every table those depend on
// announces its changes on `kupe_read_cache` like migration 0006's three, with the function that
// migration created. Runs on PGlite too, where no session listens: that database belongs to one
// process, whose tracking dialect already sees every write.
const TABLES = [
  'members', 'plans', 'tenant_plans', 'cluster_allocations', 'cluster_credentials', 'credits',
  'observability_samples', 'invoices', 'secrets', 'vault_entries', 'vault_versions',
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`DROP TRIGGER ${sql.id(`${table}_notify_read_cache`)} ON ${sql.table(table)}`.execute(db)
  }
}
