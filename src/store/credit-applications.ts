import type { Executor } from './db.js'

export const insertCreditApplication = (
  db: Executor,
  row: { creditId: string; tenantId: string; invoiceName: string; amount: string; at: Date },
) =>
  db
    .insertInto('credit_applications')
    .values({ credit_id: row.creditId, tenant_id: row.tenantId, invoice_name: row.invoiceName, amount: row.amount, applied_at: row.at })
    .execute()

export const listCreditApplications = (db: Executor, tenantId: string, invoiceName: string) =>
  db
    .selectFrom('credit_applications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_name', '=', invoiceName)
    .orderBy('id')
    .execute()

export const deleteCreditApplications = (db: Executor, tenantId: string, invoiceName: string) =>
  db.deleteFrom('credit_applications').where('tenant_id', '=', tenantId).where('invoice_name', '=', invoiceName).execute()
