import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// The Kubernetes Secrets a simulated cluster holds: only which managed secret owns each name and
// which vault version it holds (never a value), so that two managed secrets aiming at one Secret
// conflict as they would on a real cluster (spec §5.4), across restarts and replicas.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE simulated_secrets (
      cluster_id text NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
      namespace text NOT NULL,
      name text NOT NULL,
      managed_secret text NOT NULL,
      source_version integer NOT NULL,
      written_at timestamptz NOT NULL,
      PRIMARY KEY (cluster_id, namespace, name)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS simulated_secrets`.execute(db)
}
