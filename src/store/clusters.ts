import { setImmediate } from 'node:timers/promises'
import { sql, type Insertable, type Updateable } from 'kysely'
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

/** Rows per statement of the unsettled listing. */
const UNSETTLED_PAGE = 500

/**
 * The clusters not `settled` (partial index of migration 0019): those that may have work left,
 * oldest first. Read a page per statement, each an index range whatever the planner believes of
 * `settled` (PGlite never gathers statistics): one statement over all of them took 100-150 ms
 * at 50,000 clusters (decision 0039). PGlite runs a statement on this thread, so the pages are
 * apart by a turn of the event loop, where requests get in.
 */
export async function listUnsettledClusterIds(db: Executor, pageSize = UNSETTLED_PAGE): Promise<string[]> {
  const ids: string[] = []
  let after: { id: string; created_at: Date } | undefined
  for (;;) {
    let q = db.selectFrom('clusters').select(['id', 'created_at']).where(sql<boolean>`NOT settled`)
    if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.created_at}, ${after.id})`)
    const page = await q.orderBy('created_at').orderBy('id').limit(pageSize).execute()
    for (const row of page) ids.push(row.id)
    if (page.length < pageSize) return ids
    after = page[page.length - 1]
    await setImmediate()
  }
}

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
