import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Billing records of issue #5: observability usage samples (one row per tenant and hour, so a
// repeated sample replaces) and which credits each closed invoice drew (so a void gives them back).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE observability_samples (
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      hour timestamptz NOT NULL,
      active_series bigint,
      log_bytes bigint,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, hour)
    )`.execute(db)
  await sql`
    CREATE TABLE credit_applications (
      id serial PRIMARY KEY,
      credit_id text NOT NULL REFERENCES credits(id) ON DELETE CASCADE,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      invoice_name text NOT NULL,
      amount text NOT NULL,
      applied_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX credit_applications_invoice ON credit_applications (tenant_id, invoice_name)`.execute(db)
  await sql`CREATE INDEX invoices_phase_due ON invoices (phase, due_date)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS invoices_phase_due`.execute(db)
  await sql`DROP TABLE IF EXISTS credit_applications`.execute(db)
  await sql`DROP TABLE IF EXISTS observability_samples`.execute(db)
}
