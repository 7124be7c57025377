import type { V1Job } from '@kubernetes/client-node'
import type { HookStatus } from '../../domain/apps/schema.js'
import type { AppObject } from '../crds/app-crd.js'
import type { OperatorDeps } from '../operator-deps.js'
import { desiredHookJob, hookJobName, type AppIds, type HookPhase } from './app-objects.js'

/** Where a phase's hooks stand: all succeeded, one still running (or just started), or one failed. */
export interface HooksOutcome {
  state: 'done' | 'running' | 'failed'
  statuses: HookStatus[]
  /** The failed hook's status, when `state` is `failed`. */
  failed?: HookStatus
}

const isTrue = (job: V1Job, ...types: string[]) => job.status?.conditions?.some((c) => types.includes(c.type) && c.status === 'True') ?? false

function resultOf(job: V1Job): HookStatus['result'] {
  if (isTrue(job, 'Complete', 'SuccessCriteriaMet') || (job.status?.succeeded ?? 0) > 0) return 'Succeeded'
  if (isTrue(job, 'Failed', 'FailureTarget')) return 'Failed'
  return (job.status?.active ?? 0) > 0 ? 'Running' : 'Pending'
}

/** Why a hook's Job failed, in words a user acts on: the container's exit code, else the Job's reason. */
async function failureMessage(deps: Pick<OperatorDeps, 'client'>, job: V1Job): Promise<string> {
  const name = job.metadata?.name ?? ''
  const condition = job.status?.conditions?.find((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True')
  const pods = await deps.client.core.listNamespacedPod({ namespace: job.metadata?.namespace ?? '', labelSelector: `batch.kubernetes.io/job-name=${name}` })
  const terminated = pods.items.flatMap((p) => p.status?.containerStatuses ?? []).map((c) => c.state?.terminated).find((t) => t && t.exitCode !== 0)
  if (terminated) return `exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`
  return condition ? `${condition.reason ?? 'Failed'}: ${condition.message ?? ''}`.trim() : 'failed'
}

/**
 * Runs one phase's hooks of `revision` in order: each hook's Job is created only once the one
 * before it succeeded, so their containers run one after another. Level-triggered: the Jobs are
 * the record of what ran, so a restart resumes where the last pass left off, and a Job that
 * already exists is never created twice.
 */
export async function runHooks(
  deps: Pick<OperatorDeps, 'client'>,
  app: AppObject,
  ids: AppIds,
  phase: HookPhase,
  revision: string,
  jobs: ReadonlyMap<string, V1Job>,
): Promise<HooksOutcome> {
  const hooks = app.spec.hooks?.[phase] ?? []
  const statuses: HookStatus[] = []
  let state: HooksOutcome['state'] = 'done'
  let failed: HookStatus | undefined
  for (const hook of hooks) {
    const job = hookJobName(app, phase, hook, revision)
    const status = (result: HookStatus['result'], message?: string): HookStatus => ({ phase, name: hook.name, revision, result, job, ...(message ? { message } : {}) })
    if (state !== 'done') {
      statuses.push(status('Pending'))
      continue
    }
    const live = jobs.get(job)
    if (!live) {
      await deps.client.createOnce(desiredHookJob(app, ids, phase, hook, revision))
      statuses.push(status('Running'))
      state = 'running'
      continue
    }
    const result = resultOf(live)
    if (result === 'Succeeded') {
      statuses.push(status(result))
      continue
    }
    if (result === 'Failed') {
      failed = status(result, await failureMessage(deps, live))
      statuses.push(failed)
      state = 'failed'
      continue
    }
    statuses.push(status(result))
    state = 'running'
  }
  return { state, statuses, ...(failed ? { failed } : {}) }
}
