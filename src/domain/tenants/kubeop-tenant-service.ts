import { randomUUID } from 'node:crypto'
import { nextResourceVersion } from '../../store/connect.js'
import { lockHostCluster } from '../../store/host-clusters.js'
import { findPlan, listPlans } from '../../store/plans.js'
import { listProjects } from '../../store/projects.js'
import { findTenantById, findTenantByName, insertPlanChange, insertTenant, listTenants, lockTenant, updateTenant } from '../../store/tenants.js'
import { requireAdmin, requireTenantScope } from '../auth/manager-scope.js'
import type { Principal } from '../auth/principal.js'
import type { DomainDeps } from '../deps.js'
import { amountsOf, checkEnvelope, envelopeOf, sumAmounts } from '../projects/quota.js'
import { isUuid } from '../common/names.js'
import { errors } from '../errors.js'
import { recordEvent } from '../events/outbox.js'
import { kubeopTenantToApi } from './kubeop-tenant-view.js'
import { beginTenantDeletion, finishTenantDeletion, signalFinished, signalStarted } from './tenant-deletion.js'
import type { KubeopTenant, KubeopTenantCreate, KubeopTenantPatch } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'signal'>

const DEFAULT_PLAN = 'starter'


async function viewOf(deps: Pick<DomainDeps, 'db'>, tenant: Parameters<typeof kubeopTenantToApi>[0]): Promise<KubeopTenant> {
  const [plan, projects] = await Promise.all([findPlan(deps.db, tenant.plan), listProjects(deps.db, tenant.id)])
  return kubeopTenantToApi(tenant, plan, projects)
}

/**
 * POST /v1/tenants (seed 004): a Kupe tenant like any other (same row, same plans), placed on a
 * host cluster and optionally given its own quota envelope. It has no members until the
 * platform operator adds an owner through the Kupe admin API.
 */
export async function createKubeopTenant(deps: Deps, principal: Principal, body: KubeopTenantCreate): Promise<KubeopTenant> {
  requireAdmin(principal)
  const plan = body.plan ?? DEFAULT_PLAN
  if (!(await findPlan(deps.db, plan))) throw errors.invalidField('plan', 'plan', `unknown plan "${plan}"`)
  const now = deps.clock.now()
  const tenant = await deps.db.transaction().execute(async (trx) => {
    // The host cluster is locked so that it cannot be deleted while a tenant is placed on it.
    if (body.clusterID !== undefined && !(await lockHostCluster(trx, body.clusterID))) throw errors.hostClusterNotFound()
    if (await findTenantByName(trx, body.name)) throw errors.tenantExists()
    const row = await insertTenant(trx, {
      id: randomUUID(), name: body.name, display_name: body.displayName ?? body.name,
      contact_email: body.contactEmail?.toLowerCase() ?? '', plan, enforce_metrics_limit: true, enforce_log_limit: true,
      phase: 'Active', resource_version: await nextResourceVersion(trx), created_at: now,
      host_cluster_id: body.clusterID ?? null, quota: body.quota ? JSON.stringify(body.quota) : null,
    })
    await insertPlanChange(trx, row.id, plan, now)
    await recordEvent(deps, trx, 'tenant.created', { tenant_id: row.id, name: row.name, cluster_id: row.host_cluster_id })
    return row
  })
  deps.signal('kubeop')
  deps.signal('billing', tenant.id)
  return viewOf(deps, tenant)
}

export async function listKubeopTenants(deps: Pick<DomainDeps, 'db'>, principal: Principal): Promise<KubeopTenant[]> {
  requireAdmin(principal)
  const [tenants, plans, projects] = await Promise.all([listTenants(deps.db, undefined, undefined), listPlans(deps.db), listProjects(deps.db)])
  const planOf = new Map(plans.map((p) => [p.name, p]))
  return tenants.map((t) => kubeopTenantToApi(t, planOf.get(t.plan), projects.filter((p) => p.tenant_id === t.id)))
}

/** The tenant by id; its own tenant token may read it (kubeOP's Tenant(id) rule). */
export async function getKubeopTenant(deps: Pick<DomainDeps, 'db'>, principal: Principal, id: string): Promise<KubeopTenant> {
  const tenant = isUuid(id) ? await findTenantById(deps.db, id) : undefined
  if (!tenant) {
    if (principal.kind !== 'platform-admin') throw errors.forbidden()
    throw errors.tenantIdNotFound()
  }
  requireTenantScope(principal, tenant.id)
  return viewOf(deps, tenant)
}

/**
 * DELETE /v1/tenants/{id}: 409 while it has projects (their namespaces would be left behind).
 * 204 as kubeOP answers; a tenant with no cluster is gone at once, one with clusters is
 * `Deleting` until the tenant deletion controller has torn them down (decision 0029).
 */
export async function deleteKubeopTenant(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireAdmin(principal)
  if (!isUuid(id)) throw errors.tenantIdNotFound()
  const now = deps.clock.now()
  const removed = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTenantById(trx, id))) throw errors.tenantIdNotFound()
    await beginTenantDeletion(trx, id, now)
    return finishTenantDeletion(deps, trx, id, now)
  })
  signalStarted(deps)
  if (removed) signalFinished(deps)
}

/**
 * PATCH /v1/tenants/{id}: a new placement (refused, 409, while projects live on the old one) or
 * a new envelope (400 QUOTA_EXCEEDED when the projects already hold more than it allows).
 */
export async function patchKubeopTenant(deps: Deps, principal: Principal, id: string, body: KubeopTenantPatch): Promise<KubeopTenant> {
  requireAdmin(principal)
  if (body.clusterID === undefined && body.quota === undefined) throw errors.atLeastOne(['clusterID', 'quota'])
  const tenant = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTenantById(trx, id))) throw errors.tenantIdNotFound()
    const current = await lockTenant(trx, id)
    if (current.phase === 'Deleting') throw errors.tenantDeleting()
    const projects = await listProjects(trx, id)
    const changes: Parameters<typeof updateTenant>[2] = {}
    if (body.clusterID !== undefined && body.clusterID !== current.host_cluster_id) {
      if (!(await lockHostCluster(trx, body.clusterID))) throw errors.hostClusterNotFound()
      if (projects.length > 0) throw errors.tenantHasProjects(projects.length)
      changes.host_cluster_id = body.clusterID
    }
    if (body.quota !== undefined) {
      const envelope = envelopeOf({ quota: body.quota }, await findPlan(trx, current.plan))
      checkEnvelope(envelope, sumAmounts([]), sumAmounts(projects.map((p) => amountsOf(p.quota))))
      changes.quota = body.quota ? JSON.stringify(body.quota) : null
    }
    if (Object.keys(changes).length === 0) return current
    return updateTenant(trx, id, { ...changes, resource_version: await nextResourceVersion(trx) })
  })
  deps.signal('kubeop')
  return viewOf(deps, tenant)
}
