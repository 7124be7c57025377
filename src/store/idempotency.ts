import type { Executor } from './db.js'

export const findIdempotencyRecord = (db: Executor, scope: string, key: string) =>
  db.selectFrom('idempotency_records').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst()

/** Claims the key; false when a record already exists. */
export async function claimIdempotencyKey(
  db: Executor,
  row: { scope: string; key: string; requestHash: string; at: Date; expiresAt: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_records')
    .values({
      scope: row.scope, key: row.key, request_hash: row.requestHash, state: 'running',
      status_code: null, response: null, created_at: row.at, expires_at: row.expiresAt,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export const rerunIdempotencyKey = (db: Executor, scope: string, key: string) =>
  db.updateTable('idempotency_records').set({ state: 'running' })
    .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'failed').executeTakeFirst()

export const finishIdempotencyKey = (
  db: Executor, scope: string, key: string, outcome: { state: 'done' | 'failed'; status: number; response: string | null },
) =>
  db.updateTable('idempotency_records')
    .set({ state: outcome.state, status_code: outcome.status, response: outcome.response })
    .where('scope', '=', scope).where('key', '=', key).execute()

export const deleteIdempotencyKey = (db: Executor, scope: string, key: string) =>
  db.deleteFrom('idempotency_records').where('scope', '=', scope).where('key', '=', key).execute()

/** Whether any record expired at or before `cutoff` (one index probe). */
export async function hasIdempotencyKeyExpiredBy(db: Executor, cutoff: Date): Promise<boolean> {
  const row = await db.selectFrom('idempotency_records').select('expires_at').where('expires_at', '<=', cutoff).limit(1).executeTakeFirst()
  return row !== undefined
}

/** Deletes every record expired at `now`; returns how many went. */
export async function purgeExpiredIdempotencyKeys(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_records').where('expires_at', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
