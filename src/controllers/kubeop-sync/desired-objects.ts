import type { AppRow, ProjectRow, TenantRow } from '../../store/db.js'
import type { AppObject } from '../../operator/crds/app-crd.js'
import { API_VERSION } from '../../operator/crds/group.js'
import type { ProjectObject } from '../../operator/crds/project-crd.js'
import type { TenantObject } from '../../operator/crds/tenant-crd.js'
import { LABELS } from '../../operator/labels.js'

/**
 * The kubeOP objects the manager API's rows stand for on a host cluster (decision 0010): pure
 * functions, same rows in, same objects out, applied server-side by the sync controller. Spec
 * field names are the rows' own, so nothing is renamed on the way. The objects carry the rows'
 * UUIDs, which the operator copies onto everything it makes.
 */
export const MANAGED_BY_MANAGER = 'kupe-manager'
export const MANAGER_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY_MANAGER}`

type Desired<T> = Omit<T, 'metadata' | 'status'> & { metadata: { name: string; namespace?: string; labels: Record<string, string> } }

const labels = (ids: Record<string, string>) => ({ [LABELS.managedBy]: MANAGED_BY_MANAGER, ...ids })

export function desiredTenant(tenant: TenantRow): Desired<TenantObject> {
  return {
    apiVersion: API_VERSION,
    kind: 'Tenant',
    metadata: { name: tenant.name, labels: labels({ [LABELS.tenantId]: tenant.id }) },
    spec: { name: tenant.name, displayName: tenant.display_name, ...(tenant.quota ? { quota: tenant.quota } : {}) },
  }
}

/** Named after its namespace, which is unique on its host cluster (the manager enforces it). */
export function desiredProject(project: ProjectRow, tenant: TenantRow): Desired<ProjectObject> {
  return {
    apiVersion: API_VERSION,
    kind: 'Project',
    metadata: { name: project.namespace, labels: labels({ [LABELS.tenantId]: tenant.id, [LABELS.projectId]: project.id }) },
    spec: { tenantRef: tenant.name, name: project.name, namespace: project.namespace, quota: project.quota },
  }
}

export function desiredApp(app: AppRow, project: ProjectRow): Desired<AppObject> {
  return {
    apiVersion: API_VERSION,
    kind: 'App',
    metadata: {
      name: app.name,
      namespace: project.namespace,
      labels: labels({ [LABELS.tenantId]: project.tenant_id, [LABELS.projectId]: project.id, [LABELS.appId]: app.id }),
    },
    spec: app.spec,
  }
}
