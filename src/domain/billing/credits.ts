import { randomUUID } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import type { CreditRow, Executor } from '../../store/db.js'
import { deleteCreditApplications, insertCreditApplication, listCreditApplications } from '../../store/credit-applications.js'
import { findCredit, insertCredit, listUsableCredits, setCreditRemaining } from '../../store/credits.js'
import { BillingDecimal as D } from './usage.js'

/**
 * Credits granted by the platform operator (spec §5.8): an invoice applies at most its subtotal;
 * closing a period draws them down, soonest expiry first. A Draft only looks.
 */
export async function grantCredit(
  deps: Pick<DomainDeps, 'db' | 'clock'>,
  tenantId: string,
  input: { amount: string; reason: string; expiresAt?: Date },
): Promise<CreditRow> {
  const amount = new D(input.amount)
  if (!amount.isFinite() || amount.lte(0) || amount.decimalPlaces() > 2) throw new Error('credit amount must be positive money')
  return insertCredit(deps.db, {
    id: randomUUID(), tenant_id: tenantId, amount: amount.toFixed(2), remaining: amount.toFixed(2),
    reason: input.reason, expires_at: input.expiresAt ?? null, created_at: deps.clock.now(),
  })
}

const usable = async (db: Executor, tenantId: string, at: Date) =>
  (await listUsableCredits(db, tenantId, at)).filter((c) => new D(c.remaining).gt(0))

/** Money available from credits at `at`, as a two-decimal string. */
export async function availableCredits(db: Executor, tenantId: string, at: Date): Promise<string> {
  return (await usable(db, tenantId, at)).reduce((sum, c) => sum.plus(c.remaining), new D(0)).toFixed(2)
}

/**
 * Draws `amount` from the credits usable at `at` for the invoice `invoiceName`, recording what
 * each credit gave (inside the caller's transaction, so a failed close draws nothing).
 */
export async function consumeCredits(db: Executor, tenantId: string, at: Date, amount: string, invoiceName: string): Promise<void> {
  let left = new D(amount)
  for (const c of await usable(db, tenantId, at)) {
    if (left.lte(0)) return
    const take = D.min(left, c.remaining)
    await setCreditRemaining(db, c.id, new D(c.remaining).minus(take).toFixed(2))
    await insertCreditApplication(db, { creditId: c.id, tenantId, invoiceName, amount: take.toFixed(2), at })
    left = left.minus(take)
  }
}

/** Gives back to each credit what the invoice drew from it (a voided invoice; caller's transaction). */
export async function restoreCredits(db: Executor, tenantId: string, invoiceName: string): Promise<void> {
  for (const a of await listCreditApplications(db, tenantId, invoiceName)) {
    const credit = await findCredit(db, a.credit_id)
    if (credit) await setCreditRemaining(db, credit.id, new D(credit.remaining).plus(a.amount).toFixed(2))
  }
  await deleteCreditApplications(db, tenantId, invoiceName)
}
