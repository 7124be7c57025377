import { sql, type Insertable, type Updateable } from 'kysely'
import type { Executor, InvoiceTable } from './db.js'

/** Phases of a closed billing period; only these are listed (spec §5.8). */

export const findInvoice = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()

export const listClosedInvoices = (db: Executor, tenantId: string, afterName?: string, limit?: number) => {
  let q = db
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('phase', '!=', 'Draft') // every phase after a close
    .orderBy('name')
  if (afterName !== undefined) q = q.where('name', '>', afterName)
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

export const insertInvoice = (db: Executor, row: Insertable<InvoiceTable>) =>
  db.insertInto('invoices').values(row).returningAll().executeTakeFirstOrThrow()

export const updateInvoice = (db: Executor, tenantId: string, name: string, patch: Updateable<InvoiceTable>) =>
  db.updateTable('invoices').set(patch).where('tenant_id', '=', tenantId).where('name', '=', name).returningAll().executeTakeFirstOrThrow()

/** The counter's latest value without advancing it: the version a computed Draft is stamped with. */
export async function peekResourceVersion(db: Executor): Promise<string> {
  const r = await sql<{ v: string }>`SELECT last_value::text AS v FROM resource_version_seq`.execute(db)
  return r.rows[0]!.v
}
