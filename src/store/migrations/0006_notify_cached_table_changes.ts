import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Every change to a table the read cache holds (tenants, api_keys, clusters) is announced on the
// `kupe_read_cache` channel with the table's name, so that every Kupe process sharing this
// PostgreSQL drops what it cached (docs/decisions/0008-read-cache.md). Statement-level: one
// notice per statement, and PostgreSQL folds duplicates within a transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION kupe_notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('kupe_read_cache', TG_TABLE_NAME);
      RETURN NULL;
    END
    $$`.execute(db)
  for (const table of ['tenants', 'api_keys', 'clusters']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['tenants', 'api_keys', 'clusters']) {
    await sql`DROP TRIGGER ${sql.id(`${table}_notify_read_cache`)} ON ${sql.table(table)}`.execute(db)
  }
  await sql`DROP FUNCTION kupe_notify_read_cache()`.execute(db)
}
