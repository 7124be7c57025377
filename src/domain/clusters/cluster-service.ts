import { randomUUID } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { etagMatches } from '../../lib/etag.js'
import { openAllocation } from '../../store/allocations.js'
import { findCluster, insertCluster, listClusters, lockClusterByName } from '../../store/clusters.js'
import { scopedToTenant } from '../../store/write-scope.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { ClusterRow, Executor } from '../../store/db.js'
import { findPlan } from '../../store/plans.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterName, cachedList, pageOf } from '../common/cached-page.js'
import { decodeContinue, stringKey, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import { effectiveAllocation, sumAllocations } from './allocation.js'
import { requestClusterDeletion } from './cluster-deletion.js'
import { initialStatus } from './cluster-status.js'
import { clusterToApi } from './cluster-view.js'
import { checkResourcePool } from './plan-limits.js'
import type { Cluster, ClusterCreate, ClusterCreated, Warning } from './schema.js'
import { defaultVersion, isRetiring, unsupportedVersion } from './version-rules.js'

export type ClusterDeps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'provider' | 'signal'>

/** The tenant's plan, read under the tenant lock so limits hold against concurrent writes. */
export async function planOf(trx: Executor, plan: string) {
  const row = await findPlan(trx, plan)
  if (!row) throw new Error(`tenant plan "${plan}" is missing from the catalogue`)
  return row
}

export async function findTenantCluster(db: Executor, ctx: TenantContext, name: string): Promise<ClusterRow> {
  const row = await findCluster(db, ctx.tenant.id, name)
  if (!row) throw errors.clusterNotFound()
  return row
}

const LIST_TABLES: readonly CachedTable[] = ['clusters', 'tenants']

/** GET …/clusters: the whole list from the read cache when it can be (decision 0008), then the page. */
export async function listTenantClusters(deps: Pick<DomainDeps, 'db' | 'readCache'>, ctx: TenantContext, page: Page): Promise<ListResult<Cluster>> {
  const list = `clusters:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const tenantId = ctx.tenant.id
  const all = await deps.readCache.read(`cluster-list:${tenantId}`, LIST_TABLES, async () =>
    cachedList(await listClusters(deps.db, tenantId), (r) => [r.name], clusterToApi), tenantId)
  return pageOf(all!, page, list, after === undefined ? undefined : afterName(after))
}

/** The hot read of the API (`GET …/clusters/{name}`), answered from the read cache when it can be. */
export async function getTenantCluster(deps: ClusterDeps & Pick<DomainDeps, 'readCache'>, ctx: TenantContext, name: string): Promise<Cluster> {
  const key = `cluster:${ctx.tenant.id}:${name}`
  const cluster = await deps.readCache.read(key, ['clusters', 'tenants'], async () => {
    const row = await findCluster(deps.db, ctx.tenant.id, name)
    return row && clusterToApi(row)
  }, ctx.tenant.id)
  if (!cluster) throw errors.clusterNotFound()
  return cluster
}

/** POST /tenants/{tenant}/clusters (spec §5.2): errors in the order the spec lists them. */
export async function createCluster(deps: ClusterDeps, ctx: TenantContext, body: ClusterCreate): Promise<ClusterCreated> {
  const supported = deps.provider.versions()
  const version = body.version ?? defaultVersion(supported)
  const resources = body.resources ?? {}
  const defaults = deps.config.defaultAllocation
  const now = deps.clock.now()
  // The cluster and its allocation are this tenant's rows: other tenants' cached reads stay (decision 0024).
  const row = await scopedToTenant(deps.db, ctx.tenant.id).transaction().execute(async (trx) => {
    const tenant = await lockTenant(trx, ctx.tenant.id)
    // The auth check read the phase before this lock: a deletion that began meanwhile wins.
    if (tenant.phase === 'Deleting') throw errors.tenantDeleting()
    // Names stay taken until the row is gone, including while Deleting.
    if (await findCluster(trx, tenant.id, body.name)) throw errors.clusterExists()
    const unsupported = unsupportedVersion(version, supported)
    if (unsupported) throw unsupported
    const plan = await planOf(trx, tenant.plan)
    const type = body.type ?? 'shared'
    if (type === 'dedicated' && !plan.dedicated_clusters) throw errors.dedicatedUnsupported(plan.name)
    const existing = await listClusters(trx, tenant.id)
    if (existing.length >= plan.max_clusters) throw errors.planClusterLimit(plan.name, plan.max_clusters)
    const allocation = effectiveAllocation(resources, defaults)
    checkResourcePool(plan, sumAllocations(existing.map((c) => effectiveAllocation(c.resources, defaults))), allocation)
    const alerts = body.alerts && Object.keys(body.alerts).length > 0 ? body.alerts : null
    const inserted = await insertCluster(trx, {
      id: randomUUID(), tenant_id: tenant.id, name: body.name, display_name: body.displayName ?? body.name, type, version,
      high_availability: body.highAvailability ?? false, resources: JSON.stringify(resources),
      alerts: alerts ? JSON.stringify(alerts) : null, generation: 1, resource_version: await nextResourceVersion(trx),
      created_at: now, deletion_requested_at: null, status: JSON.stringify(initialStatus(now, deps.provider.simulated, body.highAvailability ?? false)),
      controller_state: JSON.stringify({}), provider_state: JSON.stringify({}),
    })
    // Metering starts the moment the cluster exists (spec §5.8).
    await openAllocation(trx, {
      tenantId: tenant.id, clusterId: inserted.id, clusterName: inserted.name, ...allocation,
      highAvailability: inserted.high_availability, startAt: inserted.created_at,
    })
    return inserted
  })
  deps.signal('clusters', row.id)
  deps.signal('billing', ctx.tenant.id)
  const warnings: Warning[] = isRetiring(version, supported)
    ? [{
        code: 'VERSION_RETIRING', severity: 'warning', field: 'spec.version',
        message: `Kubernetes version "${version}" is the oldest supported version and will be retired`,
      }]
    : []
  return { ...clusterToApi(row), warnings }
}

/**
 * DELETE /tenants/{tenant}/clusters/{name}: the phase becomes Deleting and every credential is
 * revoked in the same transaction; the controller tears the cluster down and removes the row.
 * The API sets this phase itself so that the next read already shows it (spec §5.2).
 */
export async function deleteCluster(deps: ClusterDeps, ctx: TenantContext, name: string, ifMatch: string | undefined): Promise<void> {
  const now = deps.clock.now()
  const changed = await scopedToTenant(deps.db, ctx.tenant.id).transaction().execute(async (trx) => {
    const row = await lockClusterByName(trx, ctx.tenant.id, name)
    if (!row) throw errors.clusterNotFound()
    if (ifMatch !== undefined && !etagMatches(ifMatch, row.resource_version)) throw errors.etagMismatch()
    if (row.deletion_requested_at) return undefined
    await requestClusterDeletion(trx, row, now)
    return row
  })
  if (!changed) return
  deps.signal('clusters', changed.id)
  deps.signal('secrets', ctx.tenant.id)
}
