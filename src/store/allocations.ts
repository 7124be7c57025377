import type { NewAllocationInterval } from '../domain/billing/schema.js'
import type { Executor } from './db.js'

/**
 * Metering intervals (`cluster_allocations`): one open interval (end_at null) per existing
 * cluster holding its effective allocation in base units. Intervals are closed, never deleted;
 * invoices are computed from them.
 */
export const openAllocation = (db: Executor, a: NewAllocationInterval) =>
  db
    .insertInto('cluster_allocations')
    .values({
      tenant_id: a.tenantId, cluster_id: a.clusterId, cluster_name: a.clusterName,
      cpu_millis: a.cpuMillis.toString(), memory_bytes: a.memoryBytes.toString(), storage_bytes: a.storageBytes.toString(),
      high_availability: a.highAvailability, start_at: a.startAt, end_at: null,
    })
    .execute()

export const closeOpenAllocation = (db: Executor, clusterId: string, at: Date) =>
  db.updateTable('cluster_allocations').set({ end_at: at }).where('cluster_id', '=', clusterId).where('end_at', 'is', null).execute()

export const listAllocations = (db: Executor, tenantId: string) =>
  db.selectFrom('cluster_allocations').selectAll().where('tenant_id', '=', tenantId).orderBy('start_at').orderBy('id').execute()

export const findOpenAllocation = (db: Executor, clusterId: string) =>
  db.selectFrom('cluster_allocations').selectAll().where('cluster_id', '=', clusterId).where('end_at', 'is', null).executeTakeFirst()
