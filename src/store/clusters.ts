import type { Insertable, Updateable } from 'kysely'
import type { ClusterTable, Executor } from './db.js'
import { byteOrder } from './byte-order.js'

export const findCluster = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('clusters').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()

export const findClusterById = (db: Executor, id: string) =>
  db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst()

export const lockCluster = (db: Executor, id: string) =>
  db.selectFrom('clusters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

/** Locks a tenant's cluster by name (PATCH and DELETE re-check under the lock). */
export const lockClusterByName = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('clusters').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).forUpdate().executeTakeFirst()

export const listClusters = (db: Executor, tenantId: string, afterName?: string, limit?: number) => {
  let q = db.selectFrom('clusters').selectAll().where('tenant_id', '=', tenantId).orderBy(byteOrder('name'))
  if (afterName !== undefined) q = q.where(byteOrder('name'), '>', afterName)
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

/** Every cluster of every tenant, for controllers' resync. */
export const listAllClusterIds = (db: Executor) => db.selectFrom('clusters').select(['id']).orderBy('created_at').execute()

/** The clusters not `settled` (migration 0015's partial index): those that may have work left. */
export const listUnsettledClusterIds = (db: Executor) =>
  db.selectFrom('clusters').select(['id']).where('settled', '=', false).orderBy('created_at').execute()

export const insertCluster = (db: Executor, row: Insertable<ClusterTable>) =>
  db.insertInto('clusters').values(row).returningAll().executeTakeFirstOrThrow()

export const updateCluster = (db: Executor, id: string, patch: Updateable<ClusterTable>) =>
  db.updateTable('clusters').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteClusterRow = (db: Executor, id: string) => db.deleteFrom('clusters').where('id', '=', id).execute()

/** Locks the tenant's clusters not yet asked to go (a tenant deletion marks each of them). */
export const lockClustersNotDeleting = (db: Executor, tenantId: string) =>
  db.selectFrom('clusters').selectAll().where('tenant_id', '=', tenantId).where('deletion_requested_at', 'is', null).orderBy('created_at').forUpdate().execute()

/** How many clusters the tenant has, in any phase (`notDeleting`: only those not asked to go). */
export async function countClusters(db: Executor, tenantId: string, opts: { notDeleting?: boolean } = {}): Promise<number> {
  let q = db.selectFrom('clusters').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId)
  if (opts.notDeleting) q = q.where('deletion_requested_at', 'is', null)
  return Number((await q.executeTakeFirstOrThrow()).n)
}
