import { randomUUID } from 'node:crypto'
import { countApps } from '../../store/apps.js'
import { nextResourceVersion } from '../../store/connect.js'
import { findPlan } from '../../store/plans.js'
import {
  findProject,
  findProjectByName,
  findProjectByNamespace,
  insertProject,
  listProjects,
  lockProject,
  updateProject,
} from '../../store/projects.js'
import { findTenantById, lockTenant } from '../../store/tenants.js'
import { requireAdmin, requireProjectScope, requireTenantScope } from '../auth/manager-scope.js'
import type { Principal } from '../auth/principal.js'
import type { DomainDeps } from '../deps.js'
import { isUuid } from '../common/names.js'
import { errors } from '../errors.js'
import { recordEvent } from '../events/outbox.js'
import { projectNamespace } from './namespace-rules.js'
import { projectToApi } from './project-view.js'
import { amountsOf, checkEnvelope, envelopeOf, projectQuotaOf, sumAmounts } from './quota.js'
import type { Project, ProjectCreate, ProjectStatus } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'signal'>

const PENDING: ProjectStatus = { phase: 'Pending', conditions: [], observed_generation: 0 }

/**
 * POST /v1/projects (seed 004): a namespace on the tenant's host cluster with a quota that must
 * fit, with the tenant's other projects, in its envelope. Checked under the tenant lock, so
 * two concurrent creates cannot both take the last of it.
 */
export async function createProject(deps: Deps, principal: Principal, body: ProjectCreate): Promise<Project> {
  requireTenantScope(principal, body.tenantID)
  const quota = projectQuotaOf(body.quota)
  const row = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTenantById(trx, body.tenantID))) throw errors.tenantIdNotFound()
    const tenant = await lockTenant(trx, body.tenantID)
    // A tenant being deleted takes nothing new (its deletion refuses to start while it has projects).
    if (tenant.phase === 'Deleting') throw errors.tenantDeleting()
    if (!tenant.host_cluster_id) throw errors.tenantNotPlaced()
    const namespace = projectNamespace(tenant.name, body.name, body.namespace)
    if (await findProjectByName(trx, tenant.id, body.name)) throw errors.projectExists()
    const holder = await findProjectByNamespace(trx, tenant.host_cluster_id, namespace)
    if (holder && holder.tenant_id !== tenant.id) throw errors.namespaceOfAnotherTenant(namespace)
    if (holder) throw errors.namespaceTaken(namespace, holder.name)
    const existing = await listProjects(trx, tenant.id)
    checkEnvelope(envelopeOf(tenant, await findPlan(trx, tenant.plan)), sumAmounts(existing.map((p) => amountsOf(p.quota))), amountsOf(quota))
    const inserted = await insertProject(trx, {
      id: randomUUID(), tenant_id: tenant.id, host_cluster_id: tenant.host_cluster_id, name: body.name, namespace,
      quota: JSON.stringify(quota), generation: 1, resource_version: await nextResourceVersion(trx),
      created_at: deps.clock.now(), deletion_requested_at: null, status: JSON.stringify(PENDING),
    })
    await recordEvent(deps, trx, 'project.created', { project_id: inserted.id, tenant_id: tenant.id, name: inserted.name, namespace })
    return inserted
  })
  deps.signal('kubeop')
  return projectToApi(row)
}

/** GET /v1/projects?tenantID=: a tenant's projects; without tenantID every project (admin only). */
export async function listTenantProjects(deps: Pick<DomainDeps, 'db'>, principal: Principal, tenantId: string | undefined): Promise<Project[]> {
  if (tenantId === undefined) requireAdmin(principal)
  else requireTenantScope(principal, tenantId)
  return (await listProjects(deps.db, tenantId)).map(projectToApi)
}

/** The project `id` if the caller may see it: 403 for a scoped token outside it, 404 for the admin. */
export async function visibleProject(deps: Pick<DomainDeps, 'db'>, principal: Principal, id: string) {
  const row = isUuid(id) ? await findProject(deps.db, id) : undefined
  if (!row) {
    if (principal.kind !== 'platform-admin') throw errors.forbidden()
    throw errors.projectNotFound()
  }
  requireProjectScope(principal, row)
  return row
}

export async function getProject(deps: Pick<DomainDeps, 'db'>, principal: Principal, id: string): Promise<Project> {
  return projectToApi(await visibleProject(deps, principal, id))
}

/**
 * DELETE /v1/projects/{id}: 409 while it has apps; otherwise the project turns Deleting and the
 * sync controller removes its Project object (the operator's finalizer takes the namespace and
 * everything in it), then the row. Repeating the delete is harmless.
 */
export async function deleteProject(deps: Deps, principal: Principal, id: string): Promise<Project> {
  const seen = await visibleProject(deps, principal, id)
  const row = await deps.db.transaction().execute(async (trx) => {
    const project = await lockProject(trx, seen.id)
    if (!project) throw errors.projectNotFound()
    const apps = await countApps(trx, project.id)
    if (apps > 0) throw errors.projectHasApps(apps)
    if (project.deletion_requested_at) return project
    await recordEvent(deps, trx, 'project.deleted', { project_id: project.id, tenant_id: project.tenant_id, name: project.name })
    return (await updateProject(trx, project.id, { deletion_requested_at: deps.clock.now(), resource_version: await nextResourceVersion(trx) }))
  })
  deps.signal('kubeop')
  return projectToApi(row)
}
