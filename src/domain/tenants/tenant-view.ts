import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import { listClusters } from '../../store/clusters.js'
import type { TenantRow } from '../../store/db.js'
import { listMembers } from '../../store/members.js'
import { findPlan } from '../../store/plans.js'
import type { CachedTable } from '../../store/read-cache.js'
import { draftEstimate, ESTIMATE_TABLES } from '../billing/current-usage.js'
import { effectiveAllocation, sumAllocations } from '../clusters/allocation.js'
import { formatCores, formatGiB } from '../common/quantity.js'
import { errors } from '../errors.js'
import type { Member, Tenant } from './schema.js'
import { cachedTenantById } from './tenant-lookup.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'readCache'>

/** What the tenant object is built from: its row, members, clusters, plan and usage estimate. */
const VIEW_TABLES: readonly CachedTable[] = [...new Set<CachedTable>(['tenants', 'members', 'clusters', 'plans', ...ESTIMATE_TABLES])]

/**
 * The tenant object of spec §6.1, whole, from the read cache when it can be (decision 0008): any
 * write to what it shows drops it, and it lives no longer than the usage estimate inside it.
 * `status` is computed, never stored, so it never moves the resourceVersion (§1.6).
 * Undefined when the tenant does not exist.
 */
export async function tenantView(deps: Deps, tenantId: string): Promise<Tenant | undefined> {
  return deps.readCache.readTimed(`tenant-view:${tenantId}`, VIEW_TABLES, deps.clock.now().getTime(), async () => {
    const [tenant, members, clusters, estimate] = await Promise.all([
      cachedTenantById(deps, tenantId),
      listMembers(deps.db, tenantId),
      listClusters(deps.db, tenantId),
      draftEstimate(deps, tenantId),
    ])
    if (!tenant || !estimate) return undefined
    const plan = await findPlan(deps.db, tenant.plan)
    const allocated = sumAllocations(clusters.map((c) => effectiveAllocation(c.resources, deps.config.defaultAllocation)))
    const view: Tenant = {
      name: tenant.name,
      displayName: tenant.display_name,
      contactEmail: tenant.contact_email,
      plan: tenant.plan,
      enforceMetricsLimit: tenant.enforce_metrics_limit,
      enforceLogLimit: tenant.enforce_log_limit,
      members: members.map((m): Member => ({ email: m.email, role: m.role })),
      resourceVersion: tenant.resource_version,
      createdAt: toRfc3339(tenant.created_at),
      status: {
        phase: tenant.phase,
        clusterCount: clusters.length,
        ...(plan?.resource_pool ? { poolResources: plan.resource_pool } : {}),
        allocatedResources: {
          cpu: formatCores(allocated.cpuMillis),
          memory: formatGiB(allocated.memoryBytes),
          storage: formatGiB(allocated.storageBytes),
        },
        currentUsage: estimate.usage,
      },
    }
    return { value: view, until: estimate.until }
  }, tenantId)
}

/** The tenant object after a write of `tenant` (its transaction committed): read back as any GET would. */
export async function tenantToApi(deps: Deps, tenant: Pick<TenantRow, 'id'>): Promise<Tenant> {
  const view = await tenantView(deps, tenant.id)
  if (!view) throw errors.tenantNotFound()
  return view
}
