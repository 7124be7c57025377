import type { CustomResource } from './crds/custom-resource.js'
import { FINALIZER } from './labels.js'
import type { CustomKind } from './object-client.js'
import type { OperatorDeps } from './operator-deps.js'

type Resource = CustomResource<string, unknown, unknown>

export const hasFinalizer = (obj: Resource) => obj.metadata.finalizers?.includes(FINALIZER) ?? false

/**
 * Adds the operator's finalizer before it makes anything, so nothing it makes can outlive the
 * object. Guarded by the resourceVersion: a concurrent change fails with 409 and is retried.
 */
export async function ensureFinalizer<T extends Resource>(deps: Pick<OperatorDeps, 'client'>, kind: CustomKind, obj: T): Promise<T> {
  if (hasFinalizer(obj)) return obj
  return deps.client.setFinalizers(kind, obj, [...(obj.metadata.finalizers ?? []), FINALIZER])
}

/** Lets the API server finish deleting `obj`: called once everything it made is gone. */
export async function releaseFinalizer(deps: Pick<OperatorDeps, 'client'>, kind: CustomKind, obj: Resource): Promise<void> {
  if (!hasFinalizer(obj)) return
  await deps.client.setFinalizers(kind, obj, (obj.metadata.finalizers ?? []).filter((f) => f !== FINALIZER))
}
