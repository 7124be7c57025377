/**
 * Billing's internal shapes (not API objects, so no TypeBox): what metering records and what
 * the pricing engine measures. Amounts are base units as bigint so sums stay exact.
 */

/** A cluster's effective allocation: explicit amounts, else the server defaults (§5.2). */
export interface Allocation {
  cpuMillis: bigint
  memoryBytes: bigint
  storageBytes: bigint
}

/** One stretch of a cluster's effective allocation (`cluster_allocations`); `endAt` null = still open. */
export interface AllocationInterval extends Allocation {
  clusterId: string
  clusterName: string
  highAvailability: boolean
  startAt: Date
  endAt: Date | null
}

/** A new interval, opened when a cluster is created or its allocation changes. */
export type NewAllocationInterval = Omit<AllocationInterval, 'endAt'> & { tenantId: string }
