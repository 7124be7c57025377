import type { Insertable, Updateable } from 'kysely'
import type { Executor, TenantTable } from './db.js'
import { byteOrder } from './byte-order.js'

export const findTenantByName = (db: Executor, name: string) =>
  db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst()

export const findTenantById = (db: Executor, id: string) =>
  db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()

/** Locks the tenant row: every tenant-wide rule (counts, pools, last admin) is checked under it. */
export const lockTenant = (db: Executor, id: string) =>
  db.selectFrom('tenants').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()

export const listTenants = (db: Executor, afterName: string | undefined, limit: number | undefined) => {
  let q = db.selectFrom('tenants').selectAll().orderBy(byteOrder('name'))
  if (afterName !== undefined) q = q.where(byteOrder('name'), '>', afterName)
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

/** Tenants placed on a host cluster (kubeOP, index tenants_host_cluster): not every tenant. */
export const listPlacedTenants = (db: Executor, hostClusterId?: string) => {
  let q = db.selectFrom('tenants').select(['id', 'host_cluster_id']).where('host_cluster_id', 'is not', null)
  if (hostClusterId !== undefined) q = q.where('host_cluster_id', '=', hostClusterId)
  return q.execute()
}

export const insertTenant = (db: Executor, row: Insertable<TenantTable>) =>
  db.insertInto('tenants').values(row).returningAll().executeTakeFirstOrThrow()

export const updateTenant = (db: Executor, id: string, patch: Updateable<TenantTable>) =>
  db.updateTable('tenants').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteTenant = (db: Executor, id: string) => db.deleteFrom('tenants').where('id', '=', id).execute()

export const insertPlanChange = (db: Executor, tenantId: string, plan: string, at: Date) =>
  db.insertInto('tenant_plans').values({ tenant_id: tenantId, plan, effective_at: at }).execute()

export const listPlanChanges = (db: Executor, tenantId: string) =>
  db.selectFrom('tenant_plans').selectAll().where('tenant_id', '=', tenantId).orderBy('effective_at').execute()

/** Tenants being deleted (decision 0029), oldest first: the tenant deletion controller's keys. */
export const listDeletingTenantIds = (db: Executor) =>
  db.selectFrom('tenants').select(['id']).where('phase', '=', 'Deleting').orderBy('created_at').execute()
