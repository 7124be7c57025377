import type { Executor } from './db.js'

/** The invoice row under a row lock: every phase change is decided on the locked row. */
export const lockInvoice = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).forUpdate().executeTakeFirst()

/** Names of the tenant's closed periods (anything but a stored Draft), oldest first. */
export const listClosedPeriodNames = async (db: Executor, tenantId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('invoices')
      .select('name')
      .where('tenant_id', '=', tenantId)
      .where('phase', '<>', 'Draft')
      .orderBy('name')
      .execute()
  ).map((r) => r.name)

/**
 * Billed invoices whose due date has passed, for one tenant or all. An invoice with nothing to pay
 * (credits covered it) is never overdue. Totals are stored as two-decimal strings.
 */
export const listOverdueInvoices = (db: Executor, now: Date, tenantId?: string) => {
  let q = db
    .selectFrom('invoices')
    .select(['tenant_id', 'name'])
    .where('phase', '=', 'Billed')
    .where('due_date', '<=', now)
    .where('total', '<>', '0.00')
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId)
  return q.orderBy('tenant_id').orderBy('name').execute()
}

/**
 * Tenants that existed before `periodEnd` and have no closed invoice for `period`: the ones a
 * monthly close still has to visit. Closes run oldest month first, so a tenant whose latest
 * closable month is closed has every earlier one closed too.
 */
export const listTenantsWithoutInvoice = (db: Executor, period: string, periodEnd: Date) =>
  db
    .selectFrom('tenants')
    .select('id')
    .where('created_at', '<', periodEnd)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('invoices')
            .select('invoices.name')
            .whereRef('invoices.tenant_id', '=', 'tenants.id')
            .where('invoices.name', '=', period)
            .where('invoices.phase', '<>', 'Draft'),
        ),
      ),
    )
    .orderBy('name')
    .execute()
