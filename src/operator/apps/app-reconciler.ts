import type { KubernetesObject, V1Deployment, V1Job, V1Namespace } from '@kubernetes/client-node'
import { after, done, TerminalError, type Controller, type Requeue } from '../../controllers/controller.js'
import type { HookStatus } from '../../domain/apps/schema.js'
import type { AppObject } from '../crds/app-crd.js'
import { APPS } from '../custom-kinds.js'
import { ensureFinalizer, hasFinalizer, releaseFinalizer } from '../finalizer.js'
import { ANNOTATIONS, LABELS, MANAGED_SELECTOR } from '../labels.js'
import { messageOf, statusOf } from '../object-client.js'
import type { OperatorDeps } from '../operator-deps.js'
import { writeStatus } from '../status-writer.js'
import { runHooks } from './app-hooks.js'
import { appIds, appRevision, desiredDeployment, desiredIngress, desiredService, type AppIds } from './app-objects.js'
import { setAppOutcome, type AppOutcome } from './app-status.js'
import { rolloutOf } from './rollout.js'

/** How soon to look again while the app's objects are being deleted (their events wake it sooner). */
const CHILDREN_GONE_RETRY_MS = 2_000

export const appKey = (namespace: string, name: string) => `${namespace}/${name}`

function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/')
  return { namespace: key.slice(0, i), name: key.slice(i + 1) }
}

const jobsOf = async (deps: OperatorDeps, app: AppObject): Promise<Map<string, V1Job>> => {
  const jobs = await deps.client.list<V1Job>('batch/v1', 'Job', app.metadata.namespace, `${MANAGED_SELECTOR},${LABELS.app}=${app.metadata.name}`)
  return new Map(jobs.map((j) => [j.metadata?.name ?? '', j]))
}

async function applyOrTerminal<T extends KubernetesObject>(deps: OperatorDeps, obj: T): Promise<T> {
  try {
    return await deps.client.apply(obj)
  } catch (err) {
    if (statusOf(err) === 422 || statusOf(err) === 400) throw new TerminalError(`${obj.kind} ${obj.metadata?.name}: ${messageOf(err)}`, 'InvalidSpec', { cause: err })
    throw err
  }
}

/** Service and Ingress follow the spec: applied when asked for, removed when not. */
async function applyNetworking(deps: OperatorDeps, app: AppObject, ids: AppIds): Promise<void> {
  const { name, namespace } = app.metadata
  const service = desiredService(app, ids)
  if (service) await applyOrTerminal(deps, service)
  else await deps.client.remove('v1', 'Service', name, namespace)
  const ingress = desiredIngress(app, ids)
  if (ingress) await applyOrTerminal(deps, ingress)
  else await deps.client.remove('networking.k8s.io/v1', 'Ingress', name, namespace)
}

const record = (deps: OperatorDeps, app: AppObject, outcome: AppOutcome) => writeStatus(deps, APPS, app, (s, now) => setAppOutcome(s, outcome, now))

/**
 * App → Deployment + Service (+ Ingress with `host`), one revision at a time: when the spec asks
 * for a new revision, its pre hooks run first (in order, each a Job that must exit 0); only then
 * is the Deployment rolled to it; once it is fully available, the post hooks run. A failed pre
 * hook leaves the old revision serving and says Degraded with the hook's exit code; a failed post
 * hook keeps the new revision and says the same. Level-triggered throughout: the Deployment's
 * revision annotation and the hook Jobs are the record, so any pass resumes from what it finds.
 */
export async function reconcileApp(deps: OperatorDeps, key: string): Promise<Requeue> {
  const { namespace, name } = splitKey(key)
  const seen = await deps.client.readCustom<AppObject>(APPS, name, namespace)
  if (!seen) return done
  if (seen.metadata.deletionTimestamp) return finalizeApp(deps, seen)
  const app = await ensureFinalizer(deps, APPS, seen)
  try {
    return await deliverApp(deps, app)
  } catch (err) {
    // STYLE rule 12: the reason is on the object before the retry; terminal ones via onTerminal.
    if (!(err instanceof TerminalError)) {
      const s = app.status ?? {}
      const outcome: AppOutcome = {
        hooks: s.hooks ?? [], availableReplicas: s.availableReplicas ?? 0, revision: s.revision, desiredRevision: s.desiredRevision,
        phase: 'Progressing', reason: 'RetryingAfterError', message: messageOf(err),
      }
      await record(deps, app, outcome).catch((writeErr: unknown) => deps.logger.warn({ err: writeErr, app: key }, 'could not record the failure'))
    }
    throw err
  }
}

async function deliverApp(deps: OperatorDeps, app: AppObject): Promise<Requeue> {
  const { namespace, name } = app.metadata as { namespace: string; name: string }
  if (app.spec.host && !app.spec.ports?.length) throw new TerminalError(`host "${app.spec.host}" needs a port to route to`, 'InvalidSpec')
  const ids = appIds(app, await deps.client.read<V1Namespace>('v1', 'Namespace', namespace))
  const revision = appRevision(app)
  const jobs = await jobsOf(deps, app)
  const live = await deps.client.read<V1Deployment>('apps/v1', 'Deployment', name, namespace)
  const liveRevision = live?.metadata?.annotations?.[ANNOTATIONS.revision]
  const base = { desiredRevision: revision, revision: liveRevision, availableReplicas: live?.status?.availableReplicas ?? 0 }

  let preStatuses: HookStatus[] = []
  if (liveRevision !== revision) {
    const pre = await runHooks(deps, app, ids, 'pre', revision, jobs)
    preStatuses = pre.statuses
    if (pre.state === 'running') {
      await record(deps, app, { ...base, hooks: pre.statuses, phase: 'Progressing', reason: 'PreHooksRunning', message: `running pre hooks of revision ${revision}` })
      return done // the hook Job's events wake this app
    }
    if (pre.state === 'failed') {
      const message = `pre hook "${pre.failed?.name}" of revision ${revision} ${pre.failed?.message ?? 'failed'}; ${liveRevision ? `revision ${liveRevision} keeps running` : 'nothing rolled out'}`
      await record(deps, app, { ...base, hooks: pre.statuses, phase: 'Degraded', reason: 'PreHookFailed', message })
      return done
    }
  } else {
    preStatuses = recordedPreHooks(app, revision, jobs)
  }

  const deployment = await applyOrTerminal(deps, desiredDeployment(app, ids, revision))
  await applyNetworking(deps, app, ids)
  const rollout = rolloutOf(deployment, app.spec.replicas ?? 1)
  const rolled = { desiredRevision: revision, revision, availableReplicas: rollout.availableReplicas }
  if (rollout.failed) {
    await record(deps, app, { ...rolled, hooks: preStatuses, phase: 'Degraded', reason: 'ProgressDeadlineExceeded', message: rollout.failed })
    return done
  }
  if (!rollout.complete) {
    await record(deps, app, { ...rolled, hooks: preStatuses, phase: 'Progressing', reason: 'RollingOut', message: rollout.message })
    return done // the Deployment's events wake this app
  }

  const post = await runHooks(deps, app, ids, 'post', revision, jobs)
  const hooks = [...preStatuses, ...post.statuses]
  if (post.state === 'running') {
    await record(deps, app, { ...rolled, hooks, phase: 'Progressing', reason: 'PostHooksRunning', message: `running post hooks of revision ${revision}` })
    return done
  }
  if (post.state === 'failed') {
    await record(deps, app, { ...rolled, hooks, phase: 'Degraded', reason: 'PostHookFailed', message: `post hook "${post.failed?.name}" of revision ${revision} ${post.failed?.message ?? 'failed'}` })
    return done
  }
  // Hook Jobs of earlier revisions have done their part.
  for (const [jobName, job] of jobs) if (job.metadata?.labels?.[LABELS.revision] !== revision) await deps.client.remove('batch/v1', 'Job', jobName, namespace)
  await record(deps, app, { ...rolled, hooks, phase: 'Ready', reason: 'RolloutComplete', message: `revision ${revision}: ${rollout.availableReplicas} replica(s) available` })
  return done
}

/** The pre hooks of a revision already rolled out, as their Jobs report them (nothing is started). */
function recordedPreHooks(app: AppObject, revision: string, jobs: ReadonlyMap<string, V1Job>): HookStatus[] {
  const out: HookStatus[] = []
  for (const [job, j] of jobs) {
    const labels = j.metadata?.labels ?? {}
    if (labels[LABELS.revision] !== revision || labels[LABELS.hookPhase] !== 'pre') continue
    const succeeded = (j.status?.succeeded ?? 0) > 0
    out.push({ phase: 'pre', name: labels[LABELS.hook] ?? job, revision, result: succeeded ? 'Succeeded' : 'Failed', job })
  }
  const order = (app.spec.hooks?.pre ?? []).map((h) => h.name)
  return out.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
}

/**
 * Deleting: the Deployment and hook Jobs go in the foreground (they disappear only once their
 * pods have), the Service and Ingress with them, and the finalizer is released once none is left.
 */
async function finalizeApp(deps: OperatorDeps, app: AppObject): Promise<Requeue> {
  if (!hasFinalizer(app)) return done
  const { name, namespace } = app.metadata
  const children: Array<[string, string, string]> = [
    ['apps/v1', 'Deployment', name],
    ['v1', 'Service', name],
    ['networking.k8s.io/v1', 'Ingress', name],
    ...[...(await jobsOf(deps, app)).keys()].map((job): [string, string, string] => ['batch/v1', 'Job', job]),
  ]
  let left = 0
  for (const [apiVersion, kind, child] of children) {
    const live = await deps.client.read(apiVersion, kind, child, namespace)
    if (!live) continue
    left++
    if (!live.metadata?.deletionTimestamp) await deps.client.remove(apiVersion, kind, child, namespace, 'Foreground')
  }
  if (left > 0) {
    await record(deps, app, { hooks: app.status?.hooks ?? [], availableReplicas: 0, phase: 'Deleting', reason: 'Deleting', message: `waiting for ${left} object(s) to be deleted` })
    return after(CHILDREN_GONE_RETRY_MS)
  }
  await releaseFinalizer(deps, APPS, app)
  return done
}

async function recordAppFailure(deps: OperatorDeps, key: string, error: TerminalError): Promise<void> {
  const { namespace, name } = splitKey(key)
  const app = await deps.client.readCustom<AppObject>(APPS, name, namespace)
  if (!app) return
  await record(deps, app, { hooks: app.status?.hooks ?? [], availableReplicas: app.status?.availableReplicas ?? 0, revision: app.status?.revision, phase: 'Degraded', reason: error.reason, message: error.message })
}

export const appController: Controller<OperatorDeps> = {
  name: 'operator-apps',
  listKeys: async (deps) => deps.caches.apps.list().map((a) => ({ key: appKey(a.metadata.namespace ?? '', a.metadata.name), generation: a.metadata.generation })),
  reconcile: reconcileApp,
  onTerminal: recordAppFailure,
}
