import type { Insertable } from 'kysely'
import type { CreditTable, Executor } from './db.js'

export const insertCredit = (db: Executor, row: Insertable<CreditTable>) =>
  db.insertInto('credits').values(row).returningAll().executeTakeFirstOrThrow()

/**
 * Credits usable at `at`: granted by then and not yet expired, soonest expiry first (then
 * oldest), which is the order they are applied in. Exhausted credits are filtered by the caller
 * (amounts are decimal strings).
 */
export const listUsableCredits = (db: Executor, tenantId: string, at: Date) =>
  db
    .selectFrom('credits')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('created_at', '<=', at)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
    .orderBy((eb) => eb.fn.coalesce('expires_at', eb.val(new Date('9999-12-31T00:00:00Z'))))
    .orderBy('created_at')
    .orderBy('id')
    .execute()

export const setCreditRemaining = (db: Executor, id: string, remaining: string) =>
  db.updateTable('credits').set({ remaining }).where('id', '=', id).execute()

export const findCredit = (db: Executor, id: string) => db.selectFrom('credits').selectAll().where('id', '=', id).executeTakeFirst()

/** Every credit of a tenant, oldest first (the admin list). */
export const listCredits = (db: Executor, tenantId: string, after?: { createdAt: Date; id: string }, limit?: number) => {
  let q = db.selectFrom('credits').selectAll().where('tenant_id', '=', tenantId)
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
    )
  }
  q = q.orderBy('created_at').orderBy('id')
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}
