import { after, done, type Controller, type Requeue } from '../../controllers/controller.js'
import { setCondition } from '../../domain/common/conditions.js'
import type { ProjectObject } from '../crds/project-crd.js'
import type { TenantObject } from '../crds/tenant-crd.js'
import { PROJECTS, TENANTS } from '../custom-kinds.js'
import { ensureFinalizer, hasFinalizer, releaseFinalizer } from '../finalizer.js'
import type { OperatorDeps } from '../operator-deps.js'
import { writeStatus } from '../status-writer.js'

/** How soon to look again while the tenant's projects are being deleted (their events wake it sooner). */
const PROJECTS_GONE_RETRY_MS = 10_000

const projectsOf = async (deps: OperatorDeps, tenant: string) =>
  (await deps.client.listCustom<ProjectObject>(PROJECTS)).filter((p) => p.spec.tenantRef === tenant)

/**
 * Tenant → the anchor of its projects: Ready with the number of Projects that name it, and a
 * finalizer, so deleting a Tenant deletes its Projects (each takes its namespace with it) and the
 * Tenant disappears only once they are all gone.
 */
export async function reconcileTenant(deps: OperatorDeps, name: string): Promise<Requeue> {
  const seen = await deps.client.readCustom<TenantObject>(TENANTS, name)
  if (!seen) return done
  if (seen.metadata.deletionTimestamp) return finalizeTenant(deps, seen)
  const tenant = await ensureFinalizer(deps, TENANTS, seen)
  const projects = await projectsOf(deps, name)
  await writeStatus(deps, TENANTS, tenant, (s, now) => {
    s.phase = 'Ready'
    s.projects = projects.length
    setCondition(s.conditions, { type: 'Ready', status: 'True', reason: 'Anchored', message: `${projects.length} project(s)` }, now)
  })
  return done
}

async function finalizeTenant(deps: OperatorDeps, tenant: TenantObject): Promise<Requeue> {
  if (!hasFinalizer(tenant)) return done
  const projects = await projectsOf(deps, tenant.metadata.name)
  if (projects.length === 0) {
    await releaseFinalizer(deps, TENANTS, tenant)
    return done
  }
  for (const p of projects) if (!p.metadata.deletionTimestamp) await deps.client.deleteCustom(PROJECTS, p.metadata.name)
  await writeStatus(deps, TENANTS, tenant, (s, now) => {
    s.phase = 'Deleting'
    s.projects = projects.length
    setCondition(s.conditions, { type: 'Ready', status: 'False', reason: 'Deleting', message: `waiting for ${projects.length} project(s) to be deleted` }, now)
  })
  return after(PROJECTS_GONE_RETRY_MS)
}

export const tenantController: Controller<OperatorDeps> = {
  name: 'operator-tenants',
  listKeys: async (deps) => deps.caches.tenants.list().map((t) => ({ key: t.metadata.name, generation: t.metadata.generation })),
  reconcile: reconcileTenant,
}
