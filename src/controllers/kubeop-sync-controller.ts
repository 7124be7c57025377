import type { KubernetesObject } from '@kubernetes/client-node'
import { finishAppDeletion, saveAppStatus } from '../domain/apps/app-status.js'
import type { Signal } from '../domain/deps.js'
import { hostKubeConfig } from '../domain/hostclusters/host-cluster-access.js'
import { finishProjectDeletion, saveProjectStatus } from '../domain/projects/project-status.js'
import type { AppObject } from '../operator/crds/app-crd.js'
import type { ProjectObject } from '../operator/crds/project-crd.js'
import { API_VERSION } from '../operator/crds/group.js'
import { APPS, PROJECTS, TENANTS } from '../operator/custom-kinds.js'
import { LABELS } from '../operator/labels.js'
import { ObjectClient, statusOf } from '../operator/object-client.js'
import { findApp, listApps } from '../store/apps.js'
import type { HostClusterRow } from '../store/db.js'
import { findHostCluster, listHostClusters } from '../store/host-clusters.js'
import { findProject, listProjects } from '../store/projects.js'
import { findTenantById, listPlacedTenants } from '../store/tenants.js'
import { after, done, type Controller, type Requeue } from './controller.js'
import type { ControllerDeps } from './deps.js'
import { desiredApp, desiredProject, desiredTenant, MANAGER_SELECTOR } from './kubeop-sync/desired-objects.js'
import { appStatusOf, projectStatusOf } from './kubeop-sync/status-mirror.js'

type Deps = Pick<ControllerDeps, 'db' | 'keys' | 'clock' | 'config' | 'signal'>

/** How soon to look again while the operator is still converging an object (status is polled). */
const CONVERGING_MS = 1_000

const clientFor = (deps: Deps, host: HostClusterRow) => new ObjectClient(hostKubeConfig(deps.keys, host))

/**
 * The manager API's rows → kubeOP objects on their host clusters (decision 0010), and the
 * operator's status back onto the rows. Keys name one object each (`tenant:<id>`,
 * `project:<id>`, `app:<id>`), plus `host:<id>` for a sweep that deletes objects this manager
 * made whose rows are gone. Level-triggered: each pass applies the whole desired object
 * (server-side apply, so repeating it changes nothing) and re-reads what the operator wrote.
 */
export const kubeopSyncController: Controller<Deps, Signal> = {
  name: 'kubeop-sync',
  signals: ['kubeop', 'host-clusters'],
  async listKeys(deps) {
    // Only the tenants placed on a host cluster: a platform of API-only tenants lists none.
    const [tenants, projects, apps, hosts] = await Promise.all([
      listPlacedTenants(deps.db), listProjects(deps.db), listApps(deps.db), listHostClusters(deps.db),
    ])
    return [
      ...tenants.map((t) => `tenant:${t.id}`),
      ...projects.map((p) => ({ key: `project:${p.id}`, generation: p.generation })),
      ...apps.map((a) => ({ key: `app:${a.id}`, generation: a.generation })),
      ...hosts.map((h) => `host:${h.id}`),
    ]
  },
  async reconcile(deps, key) {
    const [kind, id = ''] = key.split(':')
    if (kind === 'tenant') return syncTenant(deps, id)
    if (kind === 'project') return syncProject(deps, id)
    if (kind === 'app') return syncApp(deps, id)
    if (kind === 'host') return sweepHostCluster(deps, id)
    return done
  },
}

async function syncTenant(deps: Deps, id: string): Promise<Requeue> {
  const tenant = await findTenantById(deps.db, id)
  const host = tenant?.host_cluster_id ? await findHostCluster(deps.db, tenant.host_cluster_id) : undefined
  if (!tenant || !host) return done
  await clientFor(deps, host).apply(desiredTenant(tenant) as KubernetesObject)
  return done
}

async function syncProject(deps: Deps, id: string): Promise<Requeue> {
  const project = await findProject(deps.db, id)
  const tenant = project && (await findTenantById(deps.db, project.tenant_id))
  const host = project && (await findHostCluster(deps.db, project.host_cluster_id))
  if (!project || !tenant || !host) return done
  const client = clientFor(deps, host)
  if (project.deletion_requested_at) {
    // The operator's finalizer deletes the namespace and everything in it before the object goes.
    await client.deleteCustom(PROJECTS, project.namespace)
    if (await client.readCustom(PROJECTS, project.namespace)) return after(CONVERGING_MS)
    await finishProjectDeletion(deps, id)
    deps.signal('kubeop')
    return done
  }
  const applied = (await client.apply(desiredProject(project, tenant) as KubernetesObject)) as unknown as ProjectObject
  const status = projectStatusOf(applied, project.generation, project.status)
  await saveProjectStatus(deps, id, status)
  return status.phase === 'Ready' && status.observed_generation >= project.generation ? done : after(CONVERGING_MS)
}

async function syncApp(deps: Deps, id: string): Promise<Requeue> {
  const app = await findApp(deps.db, id)
  const project = app && (await findProject(deps.db, app.project_id))
  const host = project && (await findHostCluster(deps.db, project.host_cluster_id))
  if (!app || !project || !host) return done
  const client = clientFor(deps, host)
  if (app.deletion_requested_at) {
    await client.deleteCustom(APPS, app.name, project.namespace)
    if (await client.readCustom(APPS, app.name, project.namespace)) return after(CONVERGING_MS)
    await finishAppDeletion(deps, id)
    deps.signal('kubeop')
    return done
  }
  let applied: AppObject
  try {
    applied = (await client.apply(desiredApp(app, project) as KubernetesObject)) as unknown as AppObject
  } catch (err) {
    // The project's namespace is not there yet: the operator is still making it.
    if (statusOf(err) === 404) return after(CONVERGING_MS)
    throw err
  }
  const status = appStatusOf(applied, app.generation, app.status)
  await saveAppStatus(deps, id, status)
  const settled = status.observed_generation >= app.generation && (status.phase === 'Ready' || status.phase === 'Degraded')
  return settled ? done : after(CONVERGING_MS)
}

/**
 * Objects this manager made on a host cluster whose rows no longer exist there (a tenant
 * deleted, or moved to another host cluster) are deleted; the operator's finalizers clean up
 * what they made.
 */
async function sweepHostCluster(deps: Deps, hostId: string): Promise<Requeue> {
  const host = await findHostCluster(deps.db, hostId)
  if (!host) return done
  const client = clientFor(deps, host)
  const [tenants, projects, apps] = await Promise.all([listPlacedTenants(deps.db, hostId), listProjects(deps.db), listApps(deps.db)])
  const placed = new Set(tenants.map((t) => t.id))
  const projectIds = new Set(projects.filter((p) => p.host_cluster_id === hostId).map((p) => p.id))
  const appIds = new Set(apps.map((a) => a.id))
  const orphans = async (kind: 'Tenant' | 'Project' | 'App', label: string, known: Set<string>) => {
    const objects = await client.list<KubernetesObject>(API_VERSION, kind, undefined, MANAGER_SELECTOR)
    return objects.filter((o) => !known.has(o.metadata?.labels?.[label] ?? ''))
  }
  for (const app of await orphans('App', LABELS.appId, appIds)) await client.deleteCustom(APPS, app.metadata!.name!, app.metadata!.namespace)
  for (const project of await orphans('Project', LABELS.projectId, projectIds)) await client.deleteCustom(PROJECTS, project.metadata!.name!)
  for (const tenant of await orphans('Tenant', LABELS.tenantId, placed)) await client.deleteCustom(TENANTS, tenant.metadata!.name!)
  return done
}
