import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SEQUENCE resource_version_seq`.execute(db)
  await sql`
    CREATE TABLE plans (
      name text PRIMARY KEY,
      position integer NOT NULL,
      display_name text NOT NULL,
      platform_fee text NOT NULL,
      currency text NOT NULL,
      max_clusters integer NOT NULL,
      dedicated_clusters boolean NOT NULL,
      resource_pool jsonb,
      observability_pool jsonb NOT NULL,
      rates jsonb NOT NULL
    )`.execute(db)
  await sql`
    CREATE TABLE tenants (
      id text PRIMARY KEY,
      name text NOT NULL UNIQUE,
      display_name text NOT NULL,
      contact_email text NOT NULL,
      plan text NOT NULL,
      enforce_metrics_limit boolean NOT NULL,
      enforce_log_limit boolean NOT NULL,
      phase text NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db)
  await sql`
    CREATE TABLE tenant_plans (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      plan text NOT NULL,
      effective_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX tenant_plans_tenant ON tenant_plans (tenant_id, effective_at)`.execute(db)
  await sql`
    CREATE TABLE members (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      email text NOT NULL,
      role text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, email)
    )`.execute(db)
  await sql`
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      display_name text NOT NULL,
      role text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      key_hmac text NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at, id)`.execute(db)
  await sql`
    CREATE TABLE clusters (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL,
      display_name text NOT NULL,
      type text NOT NULL,
      version text NOT NULL,
      high_availability boolean NOT NULL,
      resources jsonb NOT NULL,
      alerts jsonb,
      generation integer NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      deletion_requested_at timestamptz,
      status jsonb NOT NULL,
      provider_state jsonb NOT NULL,
      UNIQUE (tenant_id, name)
    )`.execute(db)
  await sql`
    CREATE TABLE cluster_allocations (
      id serial PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      cluster_id text NOT NULL,
      cluster_name text NOT NULL,
      cpu_millis bigint NOT NULL,
      memory_bytes bigint NOT NULL,
      storage_bytes bigint NOT NULL,
      high_availability boolean NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz
    )`.execute(db)
  await sql`CREATE INDEX cluster_allocations_tenant ON cluster_allocations (tenant_id, start_at)`.execute(db)
  await sql`
    CREATE TABLE cluster_credentials (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      cluster_id text NOT NULL,
      role text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      token_hmac text NOT NULL,
      creator_key_id text,
      creator_email text
    )`.execute(db)
  await sql`CREATE INDEX cluster_credentials_cluster ON cluster_credentials (cluster_id, created_at, id)`.execute(db)
  await sql`
    CREATE TABLE secrets (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL,
      secret_path text NOT NULL,
      sync jsonb,
      generation integer NOT NULL,
      resource_version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      status jsonb NOT NULL,
      UNIQUE (tenant_id, name)
    )`.execute(db)
  await sql`CREATE INDEX secrets_path ON secrets (tenant_id, secret_path)`.execute(db)
  await sql`
    CREATE TABLE vault_entries (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      path text NOT NULL,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, path)
    )`.execute(db)
  await sql`
    CREATE TABLE vault_versions (
      tenant_id text NOT NULL,
      path text NOT NULL,
      version integer NOT NULL,
      ciphertext text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, path, version),
      FOREIGN KEY (tenant_id, path) REFERENCES vault_entries (tenant_id, path) ON DELETE CASCADE
    )`.execute(db)
  await sql`
    CREATE TABLE invoices (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL,
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      resource_version bigint NOT NULL,
      phase text NOT NULL,
      currency text NOT NULL,
      subtotal text NOT NULL,
      credits_applied text NOT NULL,
      tax text NOT NULL,
      total text NOT NULL,
      due_date timestamptz,
      line_items jsonb NOT NULL,
      PRIMARY KEY (tenant_id, name)
    )`.execute(db)
  await sql`
    CREATE TABLE idempotency_records (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL,
      status_code integer,
      response text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (scope, key)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'idempotency_records', 'invoices', 'vault_versions', 'vault_entries', 'secrets',
    'cluster_credentials', 'cluster_allocations', 'clusters', 'api_keys', 'members',
    'tenant_plans', 'tenants', 'plans',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db)
  }
  await sql`DROP SEQUENCE IF EXISTS resource_version_seq`.execute(db)
}
