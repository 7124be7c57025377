import { toRfc3339 } from '../../lib/time.js'
import type { Condition } from './schema.js'

/**
 * Sets a Kubernetes-style condition in place. `lastTransitionTime` moves only when `status`
 * flips (a new reason or message on the same status keeps it), as cert-manager does.
 */
export function setCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: Date): void {
  const i = conditions.findIndex((c) => c.type === next.type)
  const current = conditions[i]
  if (!current) {
    conditions.push({ ...next, lastTransitionTime: toRfc3339(now) })
    return
  }
  const lastTransitionTime = current.status === next.status ? current.lastTransitionTime : toRfc3339(now)
  conditions[i] = { ...next, lastTransitionTime }
}
