import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node'
import type { CrdManifest } from './crds/crd-manifest.js'
import type { CustomResource } from './crds/custom-resource.js'
import { GROUP, VERSION } from './crds/group.js'
import { FIELD_MANAGER } from './labels.js'

/** The HTTP status of a failed API call, or undefined when the call never got an answer. */
export const statusOf = (err: unknown): number | undefined => (err instanceof ApiException ? err.code : undefined)

/** The API server's own words for a refused call (its Status message), for conditions and logs. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeJson(err.body) : err.body
    const message = body && typeof body === 'object' ? (body as { message?: unknown }).message : undefined
    return typeof message === 'string' ? message : `HTTP ${err.code}`
  }
  return err instanceof Error ? err.message : String(err)
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Returns undefined for a 404, rethrows anything else. */
async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call
  } catch (err) {
    if (statusOf(err) === 404) return undefined
    throw err
  }
}

/** The object a Kupe CR kind lives at. */
export interface CustomKind {
  plural: 'tenants' | 'projects' | 'apps'
}

const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply)
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

/**
 * Everything the operator does to a cluster, on @kubernetes/client-node. Writes of objects the
 * operator owns are server-side applies under one field manager: safe to repeat, a no-op when
 * nothing changed (the API server writes nothing), and they never touch fields others own.
 * Custom resources travel as the API server's JSON; built-in kinds as the client's models.
 */
export class ObjectClient {
  readonly core: CoreV1Api
  readonly apps: AppsV1Api
  readonly batch: BatchV1Api
  readonly coordination: CoordinationV1Api
  private readonly objects: KubernetesObjectApi
  private readonly custom: CustomObjectsApi
  private readonly extensions: ApiextensionsV1Api

  constructor(readonly kubeconfig: KubeConfig) {
    this.core = kubeconfig.makeApiClient(CoreV1Api)
    this.apps = kubeconfig.makeApiClient(AppsV1Api)
    this.batch = kubeconfig.makeApiClient(BatchV1Api)
    this.coordination = kubeconfig.makeApiClient(CoordinationV1Api)
    this.objects = KubernetesObjectApi.makeApiClient(kubeconfig)
    this.custom = kubeconfig.makeApiClient(CustomObjectsApi)
    this.extensions = kubeconfig.makeApiClient(ApiextensionsV1Api)
  }

  /** Server-side apply of a built-in object (created when missing), forced: the operator owns what it sends. */
  apply<T extends KubernetesObject>(desired: T): Promise<T> {
    return this.objects.patch(desired, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
  }

  /** Creates `desired`; one that already exists counts as created (hook Jobs are created once). */
  async createOnce<T extends KubernetesObject>(desired: T): Promise<void> {
    try {
      await this.objects.create(desired, undefined, undefined, FIELD_MANAGER)
    } catch (err) {
      if (statusOf(err) !== 409) throw err
    }
  }

  read<T extends KubernetesObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    return orMissing(this.objects.read<T>({ apiVersion, kind, metadata: { name, namespace } }))
  }

  /**
   * Deletes an object; a missing one is already deleted. `Background`: the garbage collector
   * removes its dependents afterwards; `Foreground`: the object stays until they are gone.
   */
  async remove(apiVersion: string, kind: string, name: string, namespace?: string, propagation: 'Background' | 'Foreground' = 'Background'): Promise<void> {
    await orMissing(this.objects.delete({ apiVersion, kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, propagation))
  }

  async list<T extends KubernetesObject>(apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string): Promise<T[]> {
    const list = await this.objects.list<T>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector)
    return list.items
  }

  readCustom<T extends CustomResource<string, unknown, unknown>>(kind: CustomKind, name: string, namespace?: string): Promise<T | undefined> {
    const call: Promise<T> = namespace
      ? this.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: kind.plural, namespace, name })
      : this.custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: kind.plural, name })
    return orMissing(call)
  }

  /** Every object of `kind`, in all namespaces, with the list's resourceVersion (what an informer lists). */
  listCustomObjects<T extends CustomResource<string, unknown, unknown>>(kind: CustomKind): Promise<KubernetesListObject<T>> {
    return this.custom.listCustomObjectForAllNamespaces({ group: GROUP, version: VERSION, plural: kind.plural }) as Promise<KubernetesListObject<T>>
  }

  async listCustom<T extends CustomResource<string, unknown, unknown>>(kind: CustomKind): Promise<T[]> {
    return (await this.listCustomObjects<T>(kind)).items
  }

  async deleteCustom(kind: CustomKind, name: string, namespace?: string): Promise<void> {
    const params = { group: GROUP, version: VERSION, plural: kind.plural, name, propagationPolicy: 'Background' }
    await orMissing(namespace ? this.custom.deleteNamespacedCustomObject({ ...params, namespace }) : this.custom.deleteClusterCustomObject(params))
  }

  /**
   * Server-side apply of `status` on the status subresource (the operator is its only writer, so
   * fields it stops sending disappear). A deleted object stays deleted: status is never created.
   */
  async applyStatus<S>(kind: CustomKind, obj: CustomResource<string, unknown, S>, status: S): Promise<void> {
    const { name, namespace } = obj.metadata
    const body = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, ...(namespace ? { namespace } : {}) }, status }
    const params = { group: GROUP, version: VERSION, plural: kind.plural, name, body, fieldManager: FIELD_MANAGER, force: true }
    await (namespace ? this.custom.patchNamespacedCustomObjectStatus({ ...params, namespace }, apply) : this.custom.patchClusterCustomObjectStatus(params, apply))
  }

  /**
   * Sets `metadata.finalizers` with the resourceVersion as precondition (409 when the object
   * moved; 404 when it is gone — a merge patch never creates). Returns the updated object.
   */
  async setFinalizers<T extends CustomResource<string, unknown, unknown>>(kind: CustomKind, obj: T, finalizers: string[]): Promise<T> {
    const { name, namespace, resourceVersion } = obj.metadata
    const body = { metadata: { resourceVersion, finalizers } }
    const params = { group: GROUP, version: VERSION, plural: kind.plural, name, body, fieldManager: FIELD_MANAGER }
    return (await (namespace ? this.custom.patchNamespacedCustomObject({ ...params, namespace }, mergePatch) : this.custom.patchClusterCustomObject(params, mergePatch))) as T
  }

  /** Server-side apply of a CRD, sent as the JSON kubectl would send (the client's CRD model would rename x-kubernetes-* keys). */
  async applyCrd(crd: CrdManifest): Promise<void> {
    await this.extensions.patchCustomResourceDefinition({ name: crd.metadata.name, body: crd, fieldManager: FIELD_MANAGER, force: true }, apply)
  }

  /** Whether the CRD is Established (its API is served). */
  async crdEstablished(name: string): Promise<boolean> {
    const crd = await orMissing(this.extensions.readCustomResourceDefinition({ name }))
    return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false
  }
}
