import type { V1Container, V1Deployment, V1Ingress, V1Job, V1Namespace, V1PodSpec, V1Service } from '@kubernetes/client-node'
import type { Hook } from '../../domain/apps/schema.js'
import type { AppObject } from '../crds/app-crd.js'
import { contentHash } from '../content-hash.js'
import { ANNOTATIONS, LABELS, MANAGED_BY } from '../labels.js'
import { boundedName } from '../object-names.js'
import { ownerReference } from '../ownership.js'

/** The manager's UUIDs an app's objects carry: its own (or its uid) and, when known, its project's and tenant's. */
export interface AppIds {
  appId: string
  projectId?: string
  tenantId?: string
}

export type HookPhase = 'pre' | 'post'

const DEFAULT_HOOK_TIMEOUT_SECONDS = 600

/** The app's labels say its ids; an App applied by hand borrows them from its project's namespace. */
export function appIds(app: AppObject, namespace: V1Namespace | undefined): AppIds {
  const own = app.metadata.labels ?? {}
  const ns = namespace?.metadata?.labels ?? {}
  const projectId = own[LABELS.projectId] ?? ns[LABELS.projectId]
  const tenantId = own[LABELS.tenantId] ?? ns[LABELS.tenantId]
  return { appId: own[LABELS.appId] ?? app.metadata.uid, ...(projectId ? { projectId } : {}), ...(tenantId ? { tenantId } : {}) }
}

/** The Deployment's selector: the App's name, which no revision changes. */
export const selectorOf = (app: AppObject) => ({ [LABELS.app]: app.metadata.name })

const labelsOf = (app: AppObject, ids: AppIds): Record<string, string> => ({
  [LABELS.managedBy]: MANAGED_BY,
  ...selectorOf(app),
  [LABELS.appId]: ids.appId,
  ...(ids.projectId ? { [LABELS.projectId]: ids.projectId } : {}),
  ...(ids.tenantId ? { [LABELS.tenantId]: ids.tenantId } : {}),
})

const withoutSelector = (labels: Record<string, string>) => {
  const { [LABELS.app]: _selector, ...rest } = labels
  return rest
}

const meta = (app: AppObject, ids: AppIds, name: string, extra: Record<string, string> = {}) => ({
  name,
  namespace: app.metadata.namespace,
  labels: { ...labelsOf(app, ids), ...extra },
  ownerReferences: [ownerReference(app)],
})

const resourcesOf = (app: AppObject): V1Container['resources'] => {
  const r = app.spec.resources
  if (!r) return undefined
  return { ...(r.requests ? { requests: { ...r.requests } } : {}), ...(r.limits ? { limits: { ...r.limits } } : {}) }
}

const envOf = (app: AppObject) => (app.spec.env ?? []).map((e) => ({ name: e.name, value: e.value }))

/** Pods the operator starts hold no API token and cannot gain privileges (security by default). */
const podDefaults: Pick<V1PodSpec, 'automountServiceAccountToken' | 'enableServiceLinks'> = { automountServiceAccountToken: false, enableServiceLinks: false }

/** The app's container: everything of the spec that shapes a pod, and so its revision. */
function appContainer(app: AppObject): V1Container {
  const s = app.spec
  return {
    name: 'app',
    image: s.image,
    ...(s.command ? { command: [...s.command] } : {}),
    ...(s.args ? { args: [...s.args] } : {}),
    env: envOf(app),
    ports: (s.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
    ...(s.resources ? { resources: resourcesOf(app) } : {}),
    securityContext: { allowPrivilegeEscalation: false },
  }
}

/**
 * The revision: a hash of the pod template the spec asks for. A change to image, command, args,
 * ports, env or resources is a new revision (a rollout, with hooks); replicas, host and the hooks
 * themselves are not.
 */
export const appRevision = (app: AppObject): string => contentHash({ spec: { ...podDefaults, containers: [appContainer(app)] } })

export function desiredDeployment(app: AppObject, ids: AppIds, revision: string): V1Deployment {
  const podLabels = { ...labelsOf(app, ids), [LABELS.revision]: revision }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta(app, ids, app.metadata.name), annotations: { [ANNOTATIONS.revision]: revision } },
    spec: {
      replicas: app.spec.replicas ?? 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorOf(app) },
      strategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: podLabels, annotations: { [ANNOTATIONS.revision]: revision } },
        spec: { ...podDefaults, containers: [appContainer(app)] },
      },
    },
  }
}

/** A ClusterIP Service over the app's ports (servicePort defaults to containerPort); none without ports. */
export function desiredService(app: AppObject, ids: AppIds): V1Service | undefined {
  const ports = app.spec.ports ?? []
  if (ports.length === 0) return undefined
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(app, ids, app.metadata.name),
    spec: {
      type: 'ClusterIP',
      selector: selectorOf(app),
      ports: ports.map((p) => {
        const protocol = p.protocol ?? 'TCP'
        return { name: p.name ?? `${protocol.toLowerCase()}-${p.containerPort}`, port: p.servicePort ?? p.containerPort, targetPort: p.containerPort, protocol }
      }),
    },
  }
}

/** An Ingress for `host` to the first port's Service port; none without a host. */
export function desiredIngress(app: AppObject, ids: AppIds): V1Ingress | undefined {
  const first = app.spec.ports?.[0]
  if (!app.spec.host || !first) return undefined
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(app, ids, app.metadata.name),
    spec: {
      rules: [{
        host: app.spec.host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.metadata.name, port: { number: first.servicePort ?? first.containerPort } } } }] },
      }],
    },
  }
}

/** One Job per hook and revision: `<app>-<phase>-<hook>-<revision>`, bounded to 63 characters. */
export const hookJobName = (app: AppObject, phase: HookPhase, hook: Hook, revision: string) => boundedName(app.metadata.name, phase, hook.name, revision)

/**
 * A hook's Job: one pod that must exit 0 (no retries), within `timeoutSeconds` (default 600),
 * running the hook's image (default: the app's) with the app's env and resources.
 */
export function desiredHookJob(app: AppObject, ids: AppIds, phase: HookPhase, hook: Hook, revision: string): V1Job {
  const labels = { [LABELS.revision]: revision, [LABELS.hookPhase]: phase, [LABELS.hook]: hook.name }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(app, ids, hookJobName(app, phase, hook, revision), labels),
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: hook.timeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
      template: {
        // Not the app's selector label: the Service and the Deployment must never take a hook pod for an app pod.
        metadata: { labels: { ...withoutSelector(labelsOf(app, ids)), ...labels } },
        spec: {
          ...podDefaults,
          restartPolicy: 'Never',
          containers: [{
            name: 'hook',
            image: hook.image ?? app.spec.image,
            ...(hook.command ? { command: [...hook.command] } : {}),
            ...(hook.args ? { args: [...hook.args] } : {}),
            env: envOf(app),
            ...(app.spec.resources ? { resources: resourcesOf(app) } : {}),
            securityContext: { allowPrivilegeEscalation: false },
          }],
        },
      },
    },
  }
}
