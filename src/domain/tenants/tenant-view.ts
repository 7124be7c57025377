import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import { listClusters } from '../../store/clusters.js'
import type { Executor, TenantRow } from '../../store/db.js'
import { listMembers } from '../../store/members.js'
import { findPlan } from '../../store/plans.js'
import { estimateCurrentUsage } from '../billing/current-usage.js'
import { effectiveAllocation, sumAllocations } from '../clusters/allocation.js'
import { formatCores, formatGiB } from '../common/quantity.js'
import type { Member, Tenant } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config'>

/** The tenant object of spec §6.1; `status` is computed on read and never moves resourceVersion. */
export async function tenantToApi(deps: Deps, tenant: TenantRow, db: Executor = deps.db): Promise<Tenant> {
  const [members, clusters, plan] = await Promise.all([
    listMembers(db, tenant.id),
    listClusters(db, tenant.id),
    findPlan(db, tenant.plan),
  ])
  const allocated = sumAllocations(clusters.map((c) => effectiveAllocation(c.resources, deps.config.defaultAllocation)))
  return {
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
      phase: tenant.phase as 'Active' | 'Suspended',
      clusterCount: clusters.length,
      ...(plan?.resource_pool ? { poolResources: plan.resource_pool } : {}),
      allocatedResources: {
        cpu: formatCores(allocated.cpuMillis),
        memory: formatGiB(allocated.memoryBytes),
        storage: formatGiB(allocated.storageBytes),
      },
      currentUsage: await estimateCurrentUsage(deps, tenant, db),
    },
  }
}
