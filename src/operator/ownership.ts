import type { V1OwnerReference } from '@kubernetes/client-node'
import type { CustomResource } from './crds/custom-resource.js'

type Resource = CustomResource<string, unknown, unknown>
interface WithOwners {
  metadata?: { ownerReferences?: V1OwnerReference[] }
}

/**
 * The owner reference the operator puts on everything it makes: the garbage collector deletes
 * the object with its owner even if the owner's finalizer is forced off.
 */
export const ownerReference = (owner: Resource): V1OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
})

/** Whether `obj` is controlled by `owner` (this very object: same uid). */
export const isControlledBy = (obj: WithOwners, owner: Resource): boolean =>
  obj.metadata?.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid) ?? false

/** The name of `obj`'s controlling owner of `kind`, if any (to wake that owner when `obj` changes). */
export const controllerName = (obj: WithOwners, kind: string): string | undefined =>
  obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind)?.name
