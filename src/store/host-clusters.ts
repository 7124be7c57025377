import type { Insertable, Updateable } from 'kysely'
import type { Executor, HostClusterTable } from './db.js'
import { byteOrder } from './byte-order.js'

export const findHostCluster = (db: Executor, id: string) =>
  db.selectFrom('host_clusters').selectAll().where('id', '=', id).executeTakeFirst()

export const findHostClusterByName = (db: Executor, name: string) =>
  db.selectFrom('host_clusters').selectAll().where('name', '=', name).executeTakeFirst()

export const lockHostCluster = (db: Executor, id: string) =>
  db.selectFrom('host_clusters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

/** By name, the order kubeOP clients list them in. */
export const listHostClusters = (db: Executor) => db.selectFrom('host_clusters').selectAll().orderBy(byteOrder('name')).execute()

export const insertHostCluster = (db: Executor, row: Insertable<HostClusterTable>) =>
  db.insertInto('host_clusters').values(row).returningAll().executeTakeFirstOrThrow()

export const updateHostCluster = (db: Executor, id: string, patch: Updateable<HostClusterTable>) =>
  db.updateTable('host_clusters').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteHostCluster = (db: Executor, id: string) => db.deleteFrom('host_clusters').where('id', '=', id).execute()

/** How many tenants are placed on each host cluster (a delete is refused while any are). */
export async function countTenantsByHostCluster(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tenants')
    .select(['host_cluster_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('host_cluster_id', 'is not', null)
    .groupBy('host_cluster_id')
    .execute()
  return new Map(rows.map((r) => [r.host_cluster_id!, Number(r.n)]))
}
