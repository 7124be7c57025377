import type { DomainDeps } from '../deps.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { Executor, InvoiceRow } from '../../store/db.js'
import { updateInvoice } from '../../store/invoices.js'
import { listOverdueInvoices, lockInvoice } from '../../store/invoice-lifecycle.js'
import { findTenantByName, lockTenant } from '../../store/tenants.js'
import { restoreCredits } from '../billing/credits.js'
import { errors } from '../errors.js'
import { invoiceToApi } from './invoice-view.js'
import type { Invoice, InvoicePhase } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock'>

/**
 * The platform operator's moves of a closed invoice (spec §5.8 lifecycle): Billed or PastDue →
 * Paid when settled, → Canceled when voided. Repeating a move is a no-op; a move out of a final
 * phase is a conflict. Every change takes a new resourceVersion.
 */
const MOVES = {
  paid: { to: 'Paid', from: ['Billed', 'PastDue'] },
  void: { to: 'Canceled', from: ['Billed', 'PastDue'] },
} as const

export type InvoiceMove = keyof typeof MOVES

async function setPhase(trx: Executor, row: InvoiceRow, phase: InvoicePhase): Promise<InvoiceRow> {
  return updateInvoice(trx, row.tenant_id, row.name, { phase, resource_version: await nextResourceVersion(trx) })
}

export async function moveInvoice(deps: Deps, tenantName: string, name: string, move: InvoiceMove): Promise<Invoice> {
  const tenant = await findTenantByName(deps.db, tenantName)
  if (!tenant) throw errors.tenantNotFound()
  const { to, from } = MOVES[move]
  const row = await deps.db.transaction().execute(async (trx) => {
    // Tenant first (the lock order of every billing write): a void gives credits back.
    await lockTenant(trx, tenant.id)
    const current = await lockInvoice(trx, tenant.id, name)
    if (!current || current.phase === 'Draft') throw errors.invoiceNotFound()
    if (current.phase === to) return current
    if (!(from as readonly string[]).includes(current.phase)) throw errors.invoicePhaseConflict(current.phase)
    if (move === 'void') await restoreCredits(trx, tenant.id, name)
    return setPhase(trx, current, to)
  })
  return invoiceToApi(row)
}

/** Billed invoices whose due date has passed become PastDue (the billing controller); a zero total owes nothing. */
export async function markOverdueInvoices(deps: Deps, tenantId: string): Promise<number> {
  const now = deps.clock.now()
  let moved = 0
  for (const due of await listOverdueInvoices(deps.db, now, tenantId)) {
    const changed = await deps.db.transaction().execute(async (trx) => {
      const row = await lockInvoice(trx, due.tenant_id, due.name)
      // Looked at again under the lock: it may have been paid or voided meanwhile.
      if (!row || row.phase !== 'Billed' || !row.due_date || row.due_date > now || row.total === '0.00') return false
      await setPhase(trx, row, 'PastDue')
      return true
    })
    if (changed) moved++
  }
  return moved
}
