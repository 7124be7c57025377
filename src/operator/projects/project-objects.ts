import type { V1LimitRange, V1LimitRangeItem, V1Namespace, V1NetworkPolicy, V1ResourceQuota } from '@kubernetes/client-node'
import type { AppResources } from '../../domain/apps/schema.js'
import type { ProjectObject } from '../crds/project-crd.js'
import type { TenantObject } from '../crds/tenant-crd.js'
import { LABELS, MANAGED_BY } from '../labels.js'
import { boundedName } from '../object-names.js'
import { ownerReference } from '../ownership.js'

/** The manager's UUIDs a project's objects carry (the objects' own uids when applied by hand). */
export interface ProjectIds {
  tenantId: string
  projectId: string
}

export const QUOTA_NAME = 'kubeop-quota'
export const LIMIT_RANGE_NAME = 'kubeop-defaults'
export const DENY_POLICY_NAME = 'kubeop-default-deny'
export const SAME_NAMESPACE_POLICY_NAME = 'kubeop-allow-same-namespace'

/** kubeOP's container defaults, for a resource the project says nothing about. */
const DEFAULT_REQUESTS = { cpu: '100m', memory: '64Mi' }
const DEFAULT_LIMITS = { cpu: '500m', memory: '256Mi' }

export function projectIds(project: ProjectObject, tenant: TenantObject): ProjectIds {
  return {
    tenantId: project.metadata.labels?.[LABELS.tenantId] ?? tenant.metadata.labels?.[LABELS.tenantId] ?? tenant.metadata.uid,
    projectId: project.metadata.labels?.[LABELS.projectId] ?? project.metadata.uid,
  }
}

/** `spec.namespace`, else kubeOP's `kubeop-<tenant>-<project>` (bounded to 63 characters). */
export const projectNamespace = (project: ProjectObject): string => project.spec.namespace ?? boundedName('kubeop', project.spec.tenantRef, project.spec.name)

const labelsOf = (project: ProjectObject, ids: ProjectIds) => ({
  [LABELS.managedBy]: MANAGED_BY,
  [LABELS.tenantId]: ids.tenantId,
  [LABELS.projectId]: ids.projectId,
  [LABELS.tenant]: project.spec.tenantRef,
  [LABELS.project]: project.spec.name,
})

const meta = (project: ProjectObject, ids: ProjectIds, name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: labelsOf(project, ids),
  ownerReferences: [ownerReference(project)],
})

/** The namespace: tenant and project labels, Pod Security `baseline` enforced. */
export function desiredNamespace(project: ProjectObject, ids: ProjectIds): V1Namespace {
  const m = meta(project, ids, projectNamespace(project))
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { ...m, labels: { ...m.labels, [LABELS.podSecurity]: 'baseline' } } }
}

/** The requested quota as ResourceQuota hard limits on requests and pods; none when nothing is requested. */
export function desiredResourceQuota(project: ProjectObject, ids: ProjectIds): V1ResourceQuota | undefined {
  const q = project.spec.quota ?? {}
  const hard: Record<string, string> = {}
  if (q.cpu) hard['requests.cpu'] = q.cpu
  if (q.memory) hard['requests.memory'] = q.memory
  if (q.storage) hard['requests.storage'] = q.storage
  if (q.pods !== undefined) hard.pods = String(q.pods)
  if (Object.keys(hard).length === 0) return undefined
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta(project, ids, QUOTA_NAME, projectNamespace(project)), spec: { hard } }
}

/**
 * Container defaults, so pods that state no resources still fit a quota on requests. For each of
 * cpu and memory: the project's own request and limit when it gives either, kubeOP's defaults
 * when it gives neither (a request alone gets no default limit, which could fall below it).
 */
export function desiredLimitRange(project: ProjectObject, ids: ProjectIds): V1LimitRange {
  const given: AppResources = project.spec.containerDefaults ?? {}
  const item: V1LimitRangeItem = { type: 'Container', defaultRequest: {}, _default: {} }
  for (const r of ['cpu', 'memory'] as const) {
    const request = given.requests?.[r]
    const limit = given.limits?.[r]
    const neither = request === undefined && limit === undefined
    const req = neither ? DEFAULT_REQUESTS[r] : request
    const lim = neither ? DEFAULT_LIMITS[r] : limit
    if (req) item.defaultRequest![r] = req
    if (lim) item._default![r] = lim
  }
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: meta(project, ids, LIMIT_RANGE_NAME, projectNamespace(project)), spec: { limits: [item] } }
}

/**
 * Isolation: all ingress denied, then allowed from pods of the same namespace and from the
 * ingress controller's namespace. Egress stays open (decision 0012: an egress allow-list needs a
 * policy the platform operator writes, which is a later issue).
 */
export function desiredNetworkPolicies(project: ProjectObject, ids: ProjectIds): V1NetworkPolicy[] {
  const namespace = projectNamespace(project)
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(project, ids, DENY_POLICY_NAME, namespace),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(project, ids, SAME_NAMESPACE_POLICY_NAME, namespace),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ _from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { [LABELS.ingressController]: 'true' } } }] }],
      },
    },
  ]
}
