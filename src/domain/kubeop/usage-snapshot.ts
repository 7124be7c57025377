import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import type { SecretStatus } from '../secrets/schema.js'
import { listPlans } from '../../store/plans.js'
import { listAllClusterSummaries, listAllSecretSummaries } from '../../store/platform-stats.js'
import { listTenants } from '../../store/tenants.js'
import type { Allocation } from '../billing/schema.js'
import { effectiveAllocation, sumAllocations } from '../clusters/allocation.js'
import { coresToMillicores, formatCores, formatGiB, gibToBytes } from '../common/quantity.js'
import type { TenantUsage, UsageSnapshot } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

const amounts = (a: Allocation) => ({ cpu: formatCores(a.cpuMillis), memory: formatGiB(a.memoryBytes), storage: formatGiB(a.storageBytes) })

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r])
  return out
}

/** Namespaces that hold a synced secret of the tenant: distinct (cluster, namespace) pairs. */
function syncedNamespaces(statuses: SecretStatus[]): number {
  const seen = new Set<string>()
  for (const st of statuses) for (const t of st.syncStatuses ?? []) if (t.phase === 'Synced') seen.add(`${t.cluster}/${t.namespace}`)
  return seen.size
}

/**
 * GET /v1/usage/snapshot (kubeOP): quotas are the tenants' plan pools, allocations the effective
 * allocations of their existing clusters — the same figures as each tenant's status (§6.1).
 */
export async function usageSnapshot(deps: Deps): Promise<UsageSnapshot> {
  const [tenants, plans, clusters, secrets] = await Promise.all([
    listTenants(deps.db, undefined, undefined),
    listPlans(deps.db),
    listAllClusterSummaries(deps.db),
    listAllSecretSummaries(deps.db),
  ])
  const pools = new Map(plans.map((p) => [p.name, p.resource_pool]))
  const clustersOf = groupBy(clusters, (c) => c.tenant_id)
  const secretsOf = groupBy(secrets, (s) => s.tenant_id)
  const rows: TenantUsage[] = []
  const quotaTotal: Allocation[] = []
  const allocatedTotal: Allocation[] = []
  for (const t of tenants) {
    const own = clustersOf.get(t.id) ?? []
    const allocated = sumAllocations(own.map((c) => effectiveAllocation(c.resources, deps.config.defaultAllocation)))
    const pool = pools.get(t.plan) ?? null
    const quota = pool && { cpuMillis: coresToMillicores(pool.cpu), memoryBytes: gibToBytes(pool.memory), storageBytes: gibToBytes(pool.storage) }
    if (quota) quotaTotal.push(quota)
    allocatedTotal.push(allocated)
    rows.push({
      tenant_id: t.id, tenant_name: t.name, plan: t.plan, phase: t.phase,
      clusters: own.length, projects: 0, apps: 0,
      namespaces: syncedNamespaces((secretsOf.get(t.id) ?? []).map((s) => s.status)),
      quotas: quota ? amounts(quota) : null,
      allocated: amounts(allocated),
    })
  }
  return {
    generated_at: toRfc3339(deps.clock.now()),
    totals: {
      tenants: tenants.length,
      clusters: clusters.length,
      projects: 0,
      apps: 0,
      namespaces: rows.reduce((n, r) => n + r.namespaces, 0),
      quotas: amounts(sumAllocations(quotaTotal)),
      unlimited_tenants: rows.filter((r) => r.quotas === null).length,
      allocated: amounts(sumAllocations(allocatedTotal)),
    },
    tenants: rows,
  }
}
