import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node'
import { after, done, TerminalError, type Controller, type Requeue } from '../../controllers/controller.js'
import { setCondition } from '../../domain/common/conditions.js'
import type { ProjectObject, ProjectStatus } from '../crds/project-crd.js'
import type { TenantObject } from '../crds/tenant-crd.js'
import { PROJECTS, TENANTS } from '../custom-kinds.js'
import { ensureFinalizer, hasFinalizer, releaseFinalizer } from '../finalizer.js'
import { LABELS } from '../labels.js'
import { messageOf, statusOf } from '../object-client.js'
import type { OperatorDeps } from '../operator-deps.js'
import { isControlledBy } from '../ownership.js'
import { writeStatus } from '../status-writer.js'
import {
  desiredLimitRange, desiredNamespace, desiredNetworkPolicies, desiredResourceQuota, projectIds, projectNamespace, QUOTA_NAME, type ProjectIds,
} from './project-objects.js'

/** How soon to look again while a namespace finishes terminating. */
const TERMINATING_RETRY_MS = 2_000

type Phase = NonNullable<ProjectStatus['phase']>

const setReady = (s: ProjectStatus & { conditions: NonNullable<ProjectStatus['conditions']> }, now: Date, phase: Phase, ready: boolean, reason: string, message: string) => {
  s.phase = phase
  setCondition(s.conditions, { type: 'Ready', status: ready ? 'True' : 'False', reason, message }, now)
}

/** A namespace this project may use: one it made, or one labelled with its project id (the manager re-creating it). */
const belongsTo = (ns: V1Namespace, project: ProjectObject, ids: ProjectIds) =>
  isControlledBy(ns, project) || ns.metadata?.labels?.[LABELS.projectId] === ids.projectId

/** Applies one object; the API server refusing it as invalid is the spec's fault, not worth a retry. */
async function applyOrTerminal(deps: Pick<OperatorDeps, 'client'>, obj: KubernetesObject): Promise<void> {
  try {
    await deps.client.apply(obj)
  } catch (err) {
    if (statusOf(err) === 422 || statusOf(err) === 400) throw new TerminalError(`${obj.kind} ${obj.metadata?.name}: ${messageOf(err)}`, 'InvalidSpec', { cause: err })
    throw err
  }
}

/**
 * Project → its namespace (tenant and project labels, owned by the Project), ResourceQuota from
 * the requested quota (updated when it changes, removed when none is asked), LimitRange with the
 * container defaults, and default-deny plus same-namespace NetworkPolicies. Every object is
 * applied server-side, so a pass over an unchanged project writes nothing.
 */
export async function reconcileProject(deps: OperatorDeps, name: string): Promise<Requeue> {
  const seen = await deps.client.readCustom<ProjectObject>(PROJECTS, name)
  if (!seen) return done // deleted meanwhile
  if (seen.metadata.deletionTimestamp) return finalizeProject(deps, seen)
  const project = await ensureFinalizer(deps, PROJECTS, seen)
  try {
    return await provisionProject(deps, project)
  } catch (err) {
    // STYLE rule 12: the reason is on the object before the retry; terminal ones via onTerminal.
    if (!(err instanceof TerminalError)) {
      await writeStatus(deps, PROJECTS, project, (s, now) => setReady(s, now, s.phase ?? 'Pending', false, 'RetryingAfterError', messageOf(err)))
        .catch((writeErr: unknown) => deps.logger.warn({ err: writeErr, project: name }, 'could not record the failure'))
    }
    throw err
  }
}

async function provisionProject(deps: OperatorDeps, project: ProjectObject): Promise<Requeue> {
  const tenant = await deps.client.readCustom<TenantObject>(TENANTS, project.spec.tenantRef)
  if (!tenant || tenant.metadata.deletionTimestamp) {
    // Not terminal: the Tenant may be created (or its deletion may finish) at any time, and its events wake this project.
    const message = tenant ? `Tenant "${project.spec.tenantRef}" is being deleted` : `Tenant "${project.spec.tenantRef}" not found`
    await writeStatus(deps, PROJECTS, project, (s, now) => setReady(s, now, 'Pending', false, tenant ? 'TenantDeleting' : 'TenantNotFound', message))
    return done
  }
  const ids = projectIds(project, tenant)
  const namespace = projectNamespace(project)
  const live = await deps.client.read<V1Namespace>('v1', 'Namespace', namespace)
  if (live && !belongsTo(live, project, ids)) {
    throw new TerminalError(`namespace "${namespace}" already exists and does not belong to this project`, 'NamespaceConflict')
  }
  if (live?.metadata?.deletionTimestamp) {
    await writeStatus(deps, PROJECTS, project, (s, now) => setReady(s, now, 'Pending', false, 'NamespaceTerminating', `namespace "${namespace}" is still terminating`))
    return after(TERMINATING_RETRY_MS)
  }
  await applyOrTerminal(deps, desiredNamespace(project, ids))
  const quota = desiredResourceQuota(project, ids)
  if (quota) await applyOrTerminal(deps, quota)
  else await deps.client.remove('v1', 'ResourceQuota', QUOTA_NAME, namespace)
  await applyOrTerminal(deps, desiredLimitRange(project, ids))
  for (const policy of desiredNetworkPolicies(project, ids)) await applyOrTerminal(deps, policy)
  await writeStatus(deps, PROJECTS, project, (s, now) => {
    s.namespace = namespace
    setReady(s, now, 'Ready', true, 'Provisioned', `namespace "${namespace}" with quota, defaults and network isolation`)
  })
  return done
}

/** Deleting: the namespace goes (and with it everything in it), then the finalizer. */
async function finalizeProject(deps: OperatorDeps, project: ProjectObject): Promise<Requeue> {
  if (!hasFinalizer(project)) return done
  const namespace = project.status?.namespace ?? projectNamespace(project)
  const live = await deps.client.read<V1Namespace>('v1', 'Namespace', namespace)
  if (live && isControlledBy(live, project)) {
    await writeStatus(deps, PROJECTS, project, (s, now) => setReady(s, now, 'Deleting', false, 'Deleting', `waiting for namespace "${namespace}" to be deleted`))
    if (!live.metadata?.deletionTimestamp) await deps.client.remove('v1', 'Namespace', namespace)
    // The namespace's deletion event wakes this project; the retry covers a missed one.
    return after(TERMINATING_RETRY_MS * 5)
  }
  await releaseFinalizer(deps, PROJECTS, project)
  return done
}

/** A terminal failure (namespace conflict, a spec the API server refuses) says why in Ready. */
async function recordProjectFailure(deps: OperatorDeps, name: string, error: TerminalError): Promise<void> {
  const project = await deps.client.readCustom<ProjectObject>(PROJECTS, name)
  if (!project) return
  await writeStatus(deps, PROJECTS, project, (s, now) => setReady(s, now, 'Degraded', false, error.reason, error.message))
}

export const projectController: Controller<OperatorDeps> = {
  name: 'operator-projects',
  listKeys: async (deps) => deps.caches.projects.list().map((p) => ({ key: p.metadata.name, generation: p.metadata.generation })),
  reconcile: reconcileProject,
  onTerminal: recordProjectFailure,
}
