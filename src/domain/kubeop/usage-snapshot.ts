import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import type { SecretStatus } from '../secrets/schema.js'
import { listPlans } from '../../store/plans.js'
import { listAllAppSummaries, listAllClusterSummaries, listAllProjectSummaries, listAllSecretSummaries } from '../../store/platform-stats.js'
import { listTenants } from '../../store/tenants.js'
import type { Allocation } from '../billing/schema.js'
import { effectiveAllocation, sumAllocations } from '../clusters/allocation.js'
import { formatCores, formatGiB } from '../common/quantity.js'
import { envelopeOf } from '../projects/quota.js'
import type { TenantUsage, UsageSnapshot } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'readCache'>

/** Everything the snapshot is computed from: any write to these drops the cached one (decision 0008). */
const SNAPSHOT_TABLES = ['tenants', 'plans', 'clusters', 'secrets', 'projects', 'apps'] as const

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
 * GET /v1/usage/snapshot (seed 004): quotas are the tenants' envelopes (their own quota, else
 * their plan's pool), allocations the effective allocations of their clusters — the same figures
 * as each tenant's status (§6.1) — and counts of their projects, apps and namespaces (projects'
 * namespaces on host clusters plus namespaces holding their synced secrets).
 */
export async function usageSnapshot(deps: Deps): Promise<UsageSnapshot> {
  const snapshot = await deps.readCache.read('kubeop:usage-snapshot', SNAPSHOT_TABLES, () => computeSnapshot(deps))
  return snapshot!
}

async function computeSnapshot(deps: Deps): Promise<UsageSnapshot> {
  const [tenants, plans, clusters, secrets, projects, apps] = await Promise.all([
    listTenants(deps.db, undefined, undefined),
    listPlans(deps.db),
    listAllClusterSummaries(deps.db),
    listAllSecretSummaries(deps.db),
    listAllProjectSummaries(deps.db),
    listAllAppSummaries(deps.db),
  ])
  const planOf = new Map(plans.map((p) => [p.name, p]))
  const clustersOf = groupBy(clusters, (c) => c.tenant_id)
  const secretsOf = groupBy(secrets, (s) => s.tenant_id)
  const projectsOf = groupBy(projects, (p) => p.tenant_id)
  const appsOf = groupBy(apps, (a) => a.tenant_id)
  const rows: TenantUsage[] = []
  const quotaTotal: Allocation[] = []
  const allocatedTotal: Allocation[] = []
  for (const t of tenants) {
    const own = clustersOf.get(t.id) ?? []
    const allocated = sumAllocations(own.map((c) => effectiveAllocation(c.resources, deps.config.defaultAllocation)))
    const envelope = envelopeOf(t, planOf.get(t.plan))
    // Unlimited in any of the three is unlimited: a partial quota would add up to nonsense.
    const quota = envelope.cpu !== undefined && envelope.memory !== undefined && envelope.storage !== undefined
      ? { cpuMillis: envelope.cpu, memoryBytes: envelope.memory, storageBytes: envelope.storage }
      : null
    if (quota) quotaTotal.push(quota)
    allocatedTotal.push(allocated)
    const ownProjects = projectsOf.get(t.id) ?? []
    rows.push({
      tenant_id: t.id, tenant_name: t.name, plan: t.plan, phase: t.phase,
      clusters: own.length, projects: ownProjects.length, apps: (appsOf.get(t.id) ?? []).length,
      namespaces: ownProjects.length + syncedNamespaces((secretsOf.get(t.id) ?? []).map((s) => s.status)),
      quotas: quota ? amounts(quota) : null,
      allocated: amounts(allocated),
    })
  }
  return {
    generated_at: toRfc3339(deps.clock.now()),
    totals: {
      tenants: tenants.length,
      clusters: clusters.length,
      projects: projects.length,
      apps: apps.length,
      namespaces: rows.reduce((n, r) => n + r.namespaces, 0),
      quotas: amounts(sumAllocations(quotaTotal)),
      unlimited_tenants: rows.filter((r) => r.quotas === null).length,
      allocated: amounts(sumAllocations(allocatedTotal)),
    },
    tenants: rows,
  }
}
