import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// An API key's once-a-minute `last_used_at` stamp (spec §1.4) moves to a table of its own, so
// that stamping a key is no write to `api_keys`: the read cache then keeps the key row that
// authenticates every request (decision 0008), where the stamp dropped it and made that key's
// next request a database read. With a thousand keys in use that was a thousand reloads a
// minute, in step (docs/decisions/0038-api-key-usage-stamp.md). A stamp is written only when the
// previous one is a minute old, decided in the statement itself, so several servers stamp a key
// at most once a minute between them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE api_key_usage (
      key_id text PRIMARY KEY REFERENCES api_keys(id) ON DELETE CASCADE,
      tenant_id text NOT NULL,
      last_used_at timestamptz NOT NULL
    )`.execute(db)
  await sql`
    INSERT INTO api_key_usage (key_id, tenant_id, last_used_at)
    SELECT id, tenant_id, last_used_at FROM api_keys WHERE last_used_at IS NOT NULL`.execute(db)
  await sql`ALTER TABLE api_keys DROP COLUMN last_used_at`.execute(db)
  // Change notices for the other servers' read caches, named by tenant as for api_keys (migration 0015).
  await sql`
    CREATE TRIGGER api_key_usage_notify_read_cache
    AFTER INSERT OR UPDATE OR DELETE ON api_key_usage
    FOR EACH ROW EXECUTE FUNCTION kupe_notify_read_cache_rows('tenant_id')`.execute(db)
  await sql`
    CREATE TRIGGER api_key_usage_notify_read_cache_truncate
    AFTER TRUNCATE ON api_key_usage
    FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz`.execute(db)
  await sql`UPDATE api_keys SET last_used_at = u.last_used_at FROM api_key_usage u WHERE u.key_id = api_keys.id`.execute(db)
  await sql`DROP TABLE IF EXISTS api_key_usage`.execute(db)
}
