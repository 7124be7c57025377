import type { V1OwnerReference } from '@kubernetes/client-node'

/**
 * The metadata of a custom resource, with the fields the operator relies on made required. The
 * timestamps keep the client library's `Date` type so these objects are `KubernetesObject`s,
 * though custom resources arrive with the API server's strings: only their presence is read.
 */
export interface ObjectMeta {
  name: string
  namespace?: string
  uid: string
  generation?: number
  resourceVersion?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  ownerReferences?: V1OwnerReference[]
  creationTimestamp?: Date
  deletionTimestamp?: Date
}

/** A Tenant, Project or App object; `Spec` and `Status` come from its TypeBox schema. */
export interface CustomResource<Kind extends string, Spec, Status> {
  apiVersion: string
  kind: Kind
  metadata: ObjectMeta
  spec: Spec
  status?: Status
}
