import { randomUUID } from 'node:crypto'
import { findApp, findAppByName, insertApp, listApps, lockApp, updateApp } from '../../store/apps.js'
import { nextResourceVersion } from '../../store/connect.js'
import { findProject, lockProject } from '../../store/projects.js'
import { requireAdmin, requireProjectScope } from '../auth/manager-scope.js'
import type { Principal } from '../auth/principal.js'
import { isUuid } from '../common/names.js'
import type { DomainDeps } from '../deps.js'
import { errors } from '../errors.js'
import { recordEvent } from '../events/outbox.js'
import { visibleProject } from '../projects/project-service.js'
import { appToApi } from './app-view.js'
import { checkHooks, checkImages } from './delivery-rules.js'
import type { App, AppCreate, AppPatch, AppSpec, AppStatus } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'signal'>

const PENDING: AppStatus = { phase: 'Pending', available_replicas: 0, hooks: [], conditions: [], observed_generation: 0 }
const PATCH_FIELDS = ['image', 'replicas', 'command', 'args', 'ports', 'env', 'resources', 'host', 'hooks']

/** POST /v1/apps (seed 004): 400 for an image whose registry is not on the platform allow-list. */
export async function createApp(deps: Deps, principal: Principal, body: AppCreate): Promise<App> {
  const { projectID, name, ...spec } = body
  const project = await visibleProject(deps, principal, projectID)
  checkImages(deps, spec)
  checkHooks(spec)
  const row = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockProject(trx, project.id)
    if (!locked) throw errors.projectNotFound()
    if (locked.deletion_requested_at) throw errors.projectDeleting()
    if (await findAppByName(trx, project.id, name)) throw errors.appExists()
    const inserted = await insertApp(trx, {
      id: randomUUID(), project_id: project.id, name, spec: JSON.stringify(spec), generation: 1,
      resource_version: await nextResourceVersion(trx), created_at: deps.clock.now(), deletion_requested_at: null,
      status: JSON.stringify(PENDING),
    })
    await recordEvent(deps, trx, 'app.created', { app_id: inserted.id, project_id: project.id, name, image: spec.image })
    return inserted
  })
  deps.signal('kubeop')
  return appToApi(row, project)
}

async function visibleApp(deps: Pick<DomainDeps, 'db'>, principal: Principal, id: string) {
  const app = isUuid(id) ? await findApp(deps.db, id) : undefined
  const project = app && (await findProject(deps.db, app.project_id))
  if (!app || !project) {
    if (principal.kind !== 'platform-admin') throw errors.forbidden()
    throw errors.appNotFound()
  }
  requireProjectScope(principal, project)
  return { app, project }
}

/** GET /v1/apps?projectID=: a project's apps; without projectID every app (admin only). */
export async function listProjectApps(deps: Pick<DomainDeps, 'db'>, principal: Principal, projectId: string | undefined): Promise<App[]> {
  if (projectId === undefined) {
    requireAdmin(principal)
    const rows = await listApps(deps.db)
    const namespaces = new Map<string, string>()
    for (const r of rows) if (!namespaces.has(r.project_id)) namespaces.set(r.project_id, (await findProject(deps.db, r.project_id))?.namespace ?? '')
    return rows.map((r) => appToApi(r, { namespace: namespaces.get(r.project_id) ?? '' }))
  }
  const project = await visibleProject(deps, principal, projectId)
  return (await listApps(deps.db, project.id)).map((r) => appToApi(r, project))
}

export async function getApp(deps: Pick<DomainDeps, 'db'>, principal: Principal, id: string): Promise<App> {
  const { app, project } = await visibleApp(deps, principal, id)
  return appToApi(app, project)
}

/** PATCH /v1/apps/{id}: a changed spec is a new generation, which the operator rolls out. */
export async function patchApp(deps: Deps, principal: Principal, id: string, body: AppPatch): Promise<App> {
  const { project } = await visibleApp(deps, principal, id)
  if (Object.keys(body).length === 0) throw errors.atLeastOne(PATCH_FIELDS)
  const row = await deps.db.transaction().execute(async (trx) => {
    const app = await lockApp(trx, id)
    if (!app) throw errors.appNotFound()
    if (app.deletion_requested_at) throw errors.appDeleting()
    const spec: AppSpec = { ...app.spec, ...body }
    checkImages(deps, spec)
    checkHooks(spec)
    if (JSON.stringify(spec) === JSON.stringify(app.spec)) return app
    await recordEvent(deps, trx, 'app.updated', { app_id: app.id, project_id: app.project_id, name: app.name, image: spec.image })
    return (await updateApp(trx, app.id, { spec: JSON.stringify(spec), generation: app.generation + 1, resource_version: await nextResourceVersion(trx) }))
  })
  deps.signal('kubeop')
  return appToApi(row, project)
}

/** DELETE /v1/apps/{id}: the App object goes, and the operator's finalizer takes what it made. */
export async function deleteApp(deps: Deps, principal: Principal, id: string): Promise<App> {
  const { project } = await visibleApp(deps, principal, id)
  const row = await deps.db.transaction().execute(async (trx) => {
    const app = await lockApp(trx, id)
    if (!app) throw errors.appNotFound()
    if (app.deletion_requested_at) return app
    await recordEvent(deps, trx, 'app.deleted', { app_id: app.id, project_id: app.project_id, name: app.name })
    return (await updateApp(trx, app.id, { deletion_requested_at: deps.clock.now(), resource_version: await nextResourceVersion(trx) }))
  })
  deps.signal('kubeop')
  return appToApi(row, project)
}
