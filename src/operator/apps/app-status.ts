import type { HookStatus } from '../../domain/apps/schema.js'
import { setCondition } from '../../domain/common/conditions.js'
import type { Condition } from '../../domain/common/schema.js'
import type { AppStatus } from '../crds/app-crd.js'

/** What one pass concluded about an app; `setAppOutcome` turns it into phase and conditions. */
export interface AppOutcome {
  phase: 'Progressing' | 'Ready' | 'Degraded' | 'Deleting'
  reason: string
  message: string
  hooks: HookStatus[]
  availableReplicas: number
  revision?: string
  desiredRevision?: string
}

/**
 * Ready / Progressing / Degraded, as Deployments say them: Ready only when the spec's revision is
 * fully rolled out with its hooks done; Progressing while hooks or the rollout run; Degraded with
 * the failure's reason.
 */
export function setAppOutcome(s: AppStatus & { conditions: Condition[] }, o: AppOutcome, now: Date): void {
  s.phase = o.phase
  s.hooks = o.hooks
  s.availableReplicas = o.availableReplicas
  if (o.revision) s.revision = o.revision
  else delete s.revision
  if (o.desiredRevision) s.desiredRevision = o.desiredRevision
  const flag = (on: boolean) => (on ? 'True' : 'False')
  setCondition(s.conditions, { type: 'Ready', status: flag(o.phase === 'Ready'), reason: o.reason, message: o.message }, now)
  setCondition(s.conditions, { type: 'Progressing', status: flag(o.phase === 'Progressing'), reason: o.reason, message: o.phase === 'Progressing' ? o.message : '' }, now)
  setCondition(s.conditions, { type: 'Degraded', status: flag(o.phase === 'Degraded'), reason: o.phase === 'Degraded' ? o.reason : 'AsExpected', message: o.phase === 'Degraded' ? o.message : '' }, now)
}
