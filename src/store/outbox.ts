import type { EventPayload, EventType } from '../domain/events/schema.js'
import type { Executor } from './db.js'

/** Appends an event; called inside the transaction of the change it announces. */
export const insertOutboxEvent = (db: Executor, type: EventType, payload: EventPayload, at: Date) =>
  db.insertInto('outbox_events').values({ type, payload: JSON.stringify(payload), created_at: at, next_attempt_at: at }).execute()

/** The oldest events due for delivery, locked so that two replicas never send one twice at once. */
export const claimDueEvents = (db: Executor, now: Date, limit: number) =>
  db
    .selectFrom('outbox_events')
    .selectAll()
    .where('delivered_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()

/** When the next undelivered event is due, if any. */
export async function nextDueAt(db: Executor): Promise<Date | undefined> {
  const r = await db
    .selectFrom('outbox_events')
    .select('next_attempt_at')
    .where('delivered_at', 'is', null)
    .where('failed_at', 'is', null)
    .orderBy('next_attempt_at')
    .limit(1)
    .executeTakeFirst()
  return r?.next_attempt_at
}

export const markEventDelivered = (db: Executor, id: string, at: Date) =>
  db.updateTable('outbox_events').set((eb) => ({ delivered_at: at, attempts: eb('attempts', '+', 1), last_error: null })).where('id', '=', id).execute()

export const markEventAttemptFailed = (db: Executor, id: string, error: string, retryAt: Date | null, at: Date) =>
  db
    .updateTable('outbox_events')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, ...(retryAt ? { next_attempt_at: retryAt } : { failed_at: at }) }))
    .where('id', '=', id)
    .execute()

/** Delivery outcomes for analytics. */
export async function countEvents(db: Executor): Promise<{ delivered: number; pending: number; failed: number }> {
  const r = await db
    .selectFrom('outbox_events')
    .select((eb) => [
      eb.fn.count<string>('delivered_at').as('delivered'),
      eb.fn.count<string>('failed_at').as('failed'),
      eb.fn.countAll<string>().as('total'),
    ])
    .executeTakeFirstOrThrow()
  const delivered = Number(r.delivered)
  const failed = Number(r.failed)
  return { delivered, failed, pending: Number(r.total) - delivered - failed }
}

/**
 * Leases due events to one deliverer: their next attempt moves `leaseMs` ahead, so another
 * replica (or this one after a crash) retries them only if this delivery never reports back.
 * Short transaction, no lock held while the HTTP call runs.
 */
export async function leaseDueEvents(db: Executor, now: Date, leaseMs: number, limit: number) {
  return db.transaction().execute(async (trx) => {
    const due = await claimDueEvents(trx, now, limit)
    if (due.length === 0) return due
    await trx.updateTable('outbox_events').set({ next_attempt_at: new Date(now.getTime() + leaseMs) }).where('id', 'in', due.map((e) => e.id)).execute()
    return due
  })
}
