import type { PlanRow } from '../../store/db.js'
import { coresToMillicores, formatCores, formatGiB, gibToBytes } from '../common/quantity.js'
import { errors } from '../errors.js'
import type { Allocation } from '../billing/schema.js'

const RESOURCES = [
  { name: 'cpu', key: 'cpuMillis', toBase: coresToMillicores, format: formatCores },
  { name: 'memory', key: 'memoryBytes', toBase: gibToBytes, format: formatGiB },
  { name: 'storage', key: 'storageBytes', toBase: gibToBytes, format: formatGiB },
] as const

/**
 * RESOURCE_POOL_EXCEEDED (spec §5.2): the tenant's other clusters plus this one's allocation,
 * resource by resource, against the plan's pool (none for `resourcePool: null`). On PATCH only a
 * resource this cluster grows can fail, so shrinking is always possible after a plan change.
 */
export function checkResourcePool(plan: PlanRow, others: Allocation, mine: Allocation, previous?: Allocation): void {
  const pool = plan.resource_pool
  if (!pool) return
  for (const r of RESOURCES) {
    const total = others[r.key] + mine[r.key]
    const grows = previous === undefined || mine[r.key] > previous[r.key]
    if (grows && total > r.toBase(pool[r.name])) throw errors.resourcePoolExceeded(r.name, r.format(total), pool[r.name])
  }
}
