import type { Allocation } from '../billing/schema.js'
import type { ClusterResources } from './schema.js'
import { parseQuantity, toBytes, toMillicores } from '../common/quantity.js'

export function effectiveAllocation(resources: ClusterResources, defaults: Required<ClusterResources>): Allocation {
  const q = (v: string) => parseQuantity(v)!
  return {
    cpuMillis: toMillicores(q(resources.cpu ?? defaults.cpu)),
    memoryBytes: toBytes(q(resources.memory ?? defaults.memory)),
    storageBytes: toBytes(q(resources.storage ?? defaults.storage)),
  }
}

export function sumAllocations(all: Allocation[]): Allocation {
  return all.reduce(
    (acc, a) => ({
      cpuMillis: acc.cpuMillis + a.cpuMillis,
      memoryBytes: acc.memoryBytes + a.memoryBytes,
      storageBytes: acc.storageBytes + a.storageBytes,
    }),
    { cpuMillis: 0n, memoryBytes: 0n, storageBytes: 0n },
  )
}
