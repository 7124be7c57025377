import type { Insertable } from 'kysely'
import type { CredentialTable, Executor } from './db.js'
import { afterCreated } from './created-order.js'

export const insertCredential = (db: Executor, row: Insertable<CredentialTable>) =>
  db.insertInto('cluster_credentials').values(row).returningAll().executeTakeFirstOrThrow()

export const findCredential = (db: Executor, id: string) =>
  db.selectFrom('cluster_credentials').selectAll().where('id', '=', id).executeTakeFirst()

/** Live credentials of a cluster (not revoked, not expired), by createdAt then id (spec §1.4). */
export const listLiveCredentials = (
  db: Executor, clusterId: string, now: Date, after?: { createdAt: Date; id: string }, limit?: number,
) => {
  let q = db
    .selectFrom('cluster_credentials')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .orderBy('id')
  if (after) q = q.where(afterCreated(after))
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

export async function countLiveCredentials(db: Executor, clusterId: string, now: Date): Promise<number> {
  const r = await db
    .selectFrom('cluster_credentials')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cluster_id', '=', clusterId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export const revokeCredential = (db: Executor, id: string, at: Date) =>
  db.updateTable('cluster_credentials').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute()

export const revokeClusterCredentials = (db: Executor, clusterId: string, at: Date) =>
  db.updateTable('cluster_credentials').set({ revoked_at: at }).where('cluster_id', '=', clusterId).where('revoked_at', 'is', null).execute()
