import type { Condition } from '../domain/common/schema.js'
import { sameJson } from '../lib/same-json.js'
import type { CustomResource } from './crds/custom-resource.js'
import type { CustomKind } from './object-client.js'
import type { OperatorDeps } from './operator-deps.js'

/** Every kind's status has these; `writeStatus` stamps the generation it describes. */
interface StatusBase {
  conditions?: Condition[]
  observedGeneration?: number
}

/**
 * The one writer of a custom resource's status (STYLE rule 11): `mutate` edits a copy of the
 * current status (conditions through `setCondition`, so transition times move only on flips),
 * `observedGeneration` is stamped, and the status is applied only when it changed.
 */
export async function writeStatus<S extends StatusBase>(
  deps: Pick<OperatorDeps, 'client' | 'clock'>,
  kind: CustomKind,
  obj: CustomResource<string, unknown, S>,
  mutate: (status: S & { conditions: Condition[] }, now: Date) => void,
): Promise<void> {
  const before = (obj.status ?? {}) as S
  const next = structuredClone(before) as S & { conditions: Condition[] }
  next.conditions ??= []
  mutate(next, deps.clock.now())
  next.observedGeneration = obj.metadata.generation ?? 0
  if (sameJson(before, next)) return
  await deps.client.applyStatus(kind, obj, next)
}
