import type { DomainDeps } from '../deps.js'
import { etagMatches } from '../../lib/etag.js'
import { listClusters } from '../../store/clusters.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { ClusterRow, PlanRow } from '../../store/db.js'
import { findPlan } from '../../store/plans.js'
import { insertPlanChange, lockTenant, updateTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import { effectiveAllocation, sumAllocations } from '../clusters/allocation.js'
import { coresToMillicores, gibToBytes } from '../common/quantity.js'
import { errors } from '../errors.js'
import type { Tenant, TenantDelete, TenantPatch } from './schema.js'
import { beginTenantDeletion, requireNoLiveClusters, signalStarted } from './tenant-deletion.js'
import { tenantToApi } from './tenant-view.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'signal' | 'readCache'>
type TenantChanges = Parameters<typeof updateTenant>[2]

const PATCH_FIELDS = ['plan', 'enforceMetricsLimit', 'enforceLogLimit']

/** GET /tenants/{tenant}: the whole object from the read cache when it can be (decision 0008). */
export async function getTenant(deps: Deps, ctx: TenantContext): Promise<Tenant> {
  return tenantToApi(deps, ctx.tenant)
}

/** Whether the clusters that exist now (any phase) break a plan's limits (spec §5.1). */
function exceedsPlan(plan: PlanRow, clusters: ClusterRow[], defaults: Deps['config']['defaultAllocation']): boolean {
  if (clusters.length > plan.max_clusters) return true
  if (!plan.dedicated_clusters && clusters.some((c) => c.type === 'dedicated')) return true
  const pool = plan.resource_pool
  if (!pool) return false
  const used = sumAllocations(clusters.map((c) => effectiveAllocation(c.resources, defaults)))
  return (
    used.cpuMillis > coresToMillicores(pool.cpu) || used.memoryBytes > gibToBytes(pool.memory) || used.storageBytes > gibToBytes(pool.storage)
  )
}

/**
 * PATCH /tenants/{tenant} (spec §5.1). Body errors first (at least one field, known plan), then
 * under the tenant lock: 412, then PLAN_LIMITS_EXCEEDED. Current values are a no-op that keeps
 * the resourceVersion; a plan change is recorded from now for the prorated platform fee (§5.8).
 */
export async function patchTenant(deps: Deps, ctx: TenantContext, body: TenantPatch, ifMatch: string | undefined): Promise<Tenant> {
  if (body.plan === undefined && body.enforceMetricsLimit === undefined && body.enforceLogLimit === undefined) {
    throw errors.atLeastOne(PATCH_FIELDS)
  }
  const target = body.plan === undefined ? undefined : await findPlan(deps.db, body.plan)
  if (body.plan !== undefined && !target) throw errors.invalidField('plan', 'plan', `unknown plan "${body.plan}"`)
  const now = deps.clock.now()
  const { tenant, changed } = await deps.db.transaction().execute(async (trx) => {
    const tenant = await lockTenant(trx, ctx.tenant.id)
    if (ifMatch !== undefined && !etagMatches(ifMatch, tenant.resource_version)) throw errors.etagMismatch()
    const changes: TenantChanges = {}
    if (target && target.name !== tenant.plan) changes.plan = target.name
    if (body.enforceMetricsLimit !== undefined && body.enforceMetricsLimit !== tenant.enforce_metrics_limit) {
      changes.enforce_metrics_limit = body.enforceMetricsLimit
    }
    if (body.enforceLogLimit !== undefined && body.enforceLogLimit !== tenant.enforce_log_limit) {
      changes.enforce_log_limit = body.enforceLogLimit
    }
    if (Object.keys(changes).length === 0) return { tenant, changed: false }
    if (target && changes.plan !== undefined) {
      if (exceedsPlan(target, await listClusters(trx, tenant.id), deps.config.defaultAllocation)) {
        throw errors.planLimitsExceeded(target.name)
      }
      await insertPlanChange(trx, tenant.id, target.name, now)
    }
    const updated = await updateTenant(trx, tenant.id, { ...changes, resource_version: await nextResourceVersion(trx) })
    return { tenant: updated, changed: true }
  })
  if (changed) deps.signal('billing', tenant.id)
  return tenantToApi(deps, tenant)
}

/**
 * DELETE /tenants/{tenant}, what the Kupe CLI's `tenant delete --confirm NAME [--cascade]` sends
 * (decision 0029): `confirm` must be the tenant's name (400 CONFIRM_MISMATCH); without `cascade`
 * a tenant with clusters is refused (409 CLUSTERS_EXIST); a second request while the first runs
 * is 409 ALREADY_TERMINATING. Answers the tenant in `Deleting`.
 */
export async function deleteOwnTenant(deps: Deps, ctx: TenantContext, body: TenantDelete): Promise<Tenant> {
  if (body.confirm !== ctx.tenant.name) throw errors.deleteConfirmMismatch()
  const tenant = await deps.db.transaction().execute(async (trx) => {
    // Under the lock: two deletions racing, or a cluster created meanwhile, are judged on the row.
    if ((await lockTenant(trx, ctx.tenant.id)).phase === 'Deleting') throw errors.tenantDeleting()
    if (body.cascade !== true) await requireNoLiveClusters(trx, ctx.tenant.id)
    const started = await beginTenantDeletion(trx, ctx.tenant.id, deps.clock.now())
    if (!started) throw errors.tenantDeleting()
    return started
  })
  signalStarted(deps)
  return tenantToApi(deps, tenant)
}
