import { closeOpenAllocation, findOpenAllocation, openAllocation } from '../../store/allocations.js'
import type { Executor } from '../../store/db.js'

/**
 * HA billing starts when every replica of an in-place migration is ready (decision 0020; the
 * Kupe CLI tells its users so): the open metering interval is closed at that instant and a
 * copy with `highAvailability` opened. Runs in the caller's transaction on a locked cluster;
 * a no-op when the open interval already has it (a cluster created with HA), so safe to repeat.
 * Returns whether metering moved.
 */
export async function startHaMetering(trx: Executor, clusterId: string, now: Date): Promise<boolean> {
  const open = await findOpenAllocation(trx, clusterId)
  if (!open || open.high_availability) return false
  await closeOpenAllocation(trx, clusterId, now)
  await openAllocation(trx, {
    tenantId: open.tenant_id, clusterId, clusterName: open.cluster_name, cpuMillis: BigInt(open.cpu_millis),
    memoryBytes: BigInt(open.memory_bytes), storageBytes: BigInt(open.storage_bytes), highAvailability: true, startAt: now,
  })
  return true
}

/** The HA flag metering uses now: the open interval's (HA billing follows delivery, not the spec). */
export async function meteredHighAvailability(trx: Executor, clusterId: string, fallback: boolean): Promise<boolean> {
  return (await findOpenAllocation(trx, clusterId))?.high_availability ?? fallback
}
