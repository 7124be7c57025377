import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// The kubeOP half (issue 11, docs/decisions/0010-kubeop-model.md): host clusters the platform
// operator registers (kubeconfig encrypted), the tenant's placement and quota envelope on the
// tenant row itself, projects and apps that live on a host cluster, and the durable outbox of
// outbound events. Parents are never cascaded into their children: deleting one with
// dependents is refused (409), so nothing in a host cluster is left behind by a row delete.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE host_clusters (
      id text PRIMARY KEY,
      name text NOT NULL UNIQUE,
      server text NOT NULL,
      kubeconfig_enc text NOT NULL,
      operator text NOT NULL,
      health jsonb NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db)
  await sql`ALTER TABLE tenants ADD COLUMN host_cluster_id text REFERENCES host_clusters(id)`.execute(db)
  await sql`ALTER TABLE tenants ADD COLUMN quota jsonb`.execute(db)
  await sql`CREATE INDEX tenants_host_cluster ON tenants (host_cluster_id)`.execute(db)
  await sql`
    CREATE TABLE projects (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id),
      host_cluster_id text NOT NULL REFERENCES host_clusters(id),
      name text NOT NULL,
      namespace text NOT NULL,
      quota jsonb NOT NULL,
      generation integer NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      deletion_requested_at timestamptz,
      status jsonb NOT NULL,
      UNIQUE (tenant_id, name),
      UNIQUE (host_cluster_id, namespace)
    )`.execute(db)
  await sql`
    CREATE TABLE apps (
      id text PRIMARY KEY,
      project_id text NOT NULL REFERENCES projects(id),
      name text NOT NULL,
      spec jsonb NOT NULL,
      generation integer NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      deletion_requested_at timestamptz,
      status jsonb NOT NULL,
      UNIQUE (project_id, name)
    )`.execute(db)
  await sql`
    CREATE TABLE outbox_events (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      delivered_at timestamptz,
      failed_at timestamptz,
      last_error text
    )`.execute(db)
  await sql`CREATE INDEX outbox_events_pending ON outbox_events (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL`.execute(db)
  // The manager API's reports are cached like every other read (decision 0008): these tables
  // announce their changes on the channel of migration 0006 too.
  for (const table of NOTIFYING) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_notify_read_cache`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION kupe_notify_read_cache()`.execute(db)
  }
}

const NOTIFYING = ['host_clusters', 'projects', 'apps', 'outbox_events']

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS outbox_events`.execute(db)
  await sql`DROP TABLE IF EXISTS apps`.execute(db)
  await sql`DROP TABLE IF EXISTS projects`.execute(db)
  await sql`DROP INDEX IF EXISTS tenants_host_cluster`.execute(db)
  await sql`ALTER TABLE tenants DROP COLUMN IF EXISTS quota`.execute(db)
  await sql`ALTER TABLE tenants DROP COLUMN IF EXISTS host_cluster_id`.execute(db)
  await sql`DROP TABLE IF EXISTS host_clusters`.execute(db)
}
