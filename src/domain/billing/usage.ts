import { Decimal } from 'decimal.js'
import type { AllocationInterval } from './schema.js'

/**
 * Exact arithmetic for billing (spec §1.5): 64 significant digits keep every sum exact and every
 * division far finer than the rounding that follows; rounding is half up, never banker's.
 */
export const BillingDecimal = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP })

const GIB = 1n << 30n
const MILLI_SECONDS_PER_CORE_HOUR = 1000n * 3600n
const SECONDS_PER_HOUR = 3600n


/** A cluster's exact (unrounded) usage inside a window. */
export interface ClusterUsage {
  clusterId: string
  clusterName: string
  highAvailability: boolean
  seconds: bigint
  cpuCoreHours: Decimal
  memoryGiBHours: Decimal
  storageGiBHours: Decimal
  haHours: Decimal
}

const wholeSeconds = (d: Date) => BigInt(Math.floor(d.getTime() / 1000))

interface Accumulator {
  clusterId: string
  clusterName: string
  firstStart: bigint
  highAvailability: boolean
  seconds: bigint
  cpuMilliSeconds: bigint
  memoryByteSeconds: bigint
  storageByteSeconds: bigint
  haSeconds: bigint
}

/**
 * Usage to the second inside [from, to) (spec §5.8: from creation until gone, at the effective
 * allocation of each moment). Integer sums are exact; hours are derived once at the end.
 * Result ordered by cluster name, then by when the cluster first appears.
 */
export function measureClusters(intervals: AllocationInterval[], from: Date, to: Date): ClusterUsage[] {
  const lo = wholeSeconds(from)
  const hi = wholeSeconds(to)
  const byCluster = new Map<string, Accumulator>()
  for (const iv of intervals) {
    const start = wholeSeconds(iv.startAt) > lo ? wholeSeconds(iv.startAt) : lo
    const rawEnd = iv.endAt ? wholeSeconds(iv.endAt) : hi
    const end = rawEnd < hi ? rawEnd : hi
    if (end <= start) continue
    const secs = end - start
    let acc = byCluster.get(iv.clusterId)
    if (!acc) {
      acc = {
        clusterId: iv.clusterId, clusterName: iv.clusterName, firstStart: start, highAvailability: false,
        seconds: 0n, cpuMilliSeconds: 0n, memoryByteSeconds: 0n, storageByteSeconds: 0n, haSeconds: 0n,
      }
      byCluster.set(iv.clusterId, acc)
    }
    if (start < acc.firstStart) acc.firstStart = start
    acc.highAvailability ||= iv.highAvailability
    acc.seconds += secs
    acc.cpuMilliSeconds += iv.cpuMillis * secs
    acc.memoryByteSeconds += iv.memoryBytes * secs
    acc.storageByteSeconds += iv.storageBytes * secs
    if (iv.highAvailability) acc.haSeconds += secs
  }
  const ratio = (n: bigint, d: bigint) => new BillingDecimal(n.toString()).div(d.toString())
  return [...byCluster.values()]
    .sort((a, b) => compareBytes(a.clusterName, b.clusterName) || (a.firstStart < b.firstStart ? -1 : a.firstStart > b.firstStart ? 1 : 0))
    .map((a) => ({
      clusterId: a.clusterId,
      clusterName: a.clusterName,
      highAvailability: a.highAvailability,
      seconds: a.seconds,
      cpuCoreHours: ratio(a.cpuMilliSeconds, MILLI_SECONDS_PER_CORE_HOUR),
      memoryGiBHours: ratio(a.memoryByteSeconds, GIB * SECONDS_PER_HOUR),
      storageGiBHours: ratio(a.storageByteSeconds, GIB * SECONDS_PER_HOUR),
      haHours: ratio(a.haSeconds, SECONDS_PER_HOUR),
    }))
}

/** Strings by byte value (spec §1.4). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
