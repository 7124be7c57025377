import { sql, type Insertable, type Updateable } from 'kysely'
import type { Executor, InvoiceTable } from './db.js'

export const findInvoice = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()

/** Every stored invoice of a tenant (closed ones and open periods' Drafts), by period. */
export const listInvoices = (db: Executor, tenantId: string) =>
  db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute()

export const insertInvoice = (db: Executor, row: Insertable<InvoiceTable>) =>
  db.insertInto('invoices').values(row).returningAll().executeTakeFirstOrThrow()

export const updateInvoice = (db: Executor, tenantId: string, name: string, patch: Updateable<InvoiceTable>) =>
  db.updateTable('invoices').set(patch).where('tenant_id', '=', tenantId).where('name', '=', name).returningAll().executeTakeFirstOrThrow()

/** The counter's latest value without advancing it: the version a computed Draft is stamped with. */
export async function peekResourceVersion(db: Executor): Promise<string> {
  const r = await sql<{ v: string }>`SELECT last_value::text AS v FROM resource_version_seq`.execute(db)
  return r.rows[0]!.v
}
