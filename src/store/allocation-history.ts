import type { Executor } from './db.js'

/**
 * Allocation intervals (written by the cluster service and controllers) that overlap
 * [from, to): what billing measures. Intervals outlive their cluster, so deleted clusters bill
 * for the time they existed.
 */
export const listAllocationsOverlapping = (db: Executor, tenantId: string, from: Date, to: Date) =>
  db
    .selectFrom('cluster_allocations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('start_at', '<', to)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', from)]))
    .orderBy('cluster_name')
    .orderBy('start_at')
    .orderBy('id')
    .execute()
