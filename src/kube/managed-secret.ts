import { ApiException, type CoreV1Api, type V1Secret } from '@kubernetes/client-node'
import type { SecretWrite, SecretWriteResult } from './secret-write.js'

/** Labels and annotation of a Secret Kupe keeps in a cluster (spec §5.4, §6.4). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const MANAGED_SECRET_LABEL = 'kupe.cloud/secret'
const SOURCE_VERSION_ANNOTATION = 'kupe.cloud/source-version'

/** The Kubernetes status code and message of a failed call, or undefined for anything else. */
export function apiFailure(err: unknown): { code: number; message: string } | undefined {
  if (!(err instanceof ApiException)) return undefined
  let body: unknown = err.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      body = undefined
    }
  }
  const message = body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : ''
  return { code: err.code, message }
}

const encode = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]))

/** The Secret a target should hold: pure, the same input gives the same object. */
export function desiredSecret(w: SecretWrite): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: { [MANAGED_BY_LABEL]: 'kupe', [MANAGED_SECRET_LABEL]: w.managedSecret },
      annotations: { [SOURCE_VERSION_ANNOTATION]: String(w.sourceVersion) },
    },
    data: encode(w.data),
  }
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {}).sort()
  const kb = Object.keys(b).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b[k])
}

/** Whether the live Secret already holds what Kupe would write (extra labels and annotations of others are fine). */
function holds(live: V1Secret, desired: V1Secret): boolean {
  const labels = live.metadata?.labels ?? {}
  const annotations = live.metadata?.annotations ?? {}
  return (
    live.type === desired.type &&
    sameData(live.data, desired.data ?? {}) &&
    Object.entries(desired.metadata?.labels ?? {}).every(([k, v]) => labels[k] === v) &&
    Object.entries(desired.metadata?.annotations ?? {}).every(([k, v]) => annotations[k] === v)
  )
}

/** Who owns a live Secret, as a failure message, or undefined when it is this managed secret's. */
function ownershipProblem(live: V1Secret, managedSecret: string): string | undefined {
  const labels = live.metadata?.labels ?? {}
  if (labels[MANAGED_BY_LABEL] !== 'kupe') return 'Secret exists and is not managed by Kupe'
  const owner = labels[MANAGED_SECRET_LABEL]
  if (owner !== managedSecret) return `Secret is managed by "${owner ?? ''}"`
  return undefined
}

async function readLive(core: CoreV1Api, w: SecretWrite): Promise<V1Secret | undefined> {
  try {
    return await core.readNamespacedSecret({ name: w.name, namespace: w.namespace })
  } catch (err) {
    if (apiFailure(err)?.code === 404) return undefined
    throw err
  }
}

/**
 * Makes the target Secret hold `w` (spec §5.4): look first and write nothing when it already
 * does; create it when absent; never touch a Secret Kupe does not manage or that belongs to
 * another managed secret. Kubernetes refusals become the target's failure message; a write
 * that lost a race with another writer is looked at again.
 */
export async function writeManagedSecret(core: CoreV1Api, w: SecretWrite): Promise<SecretWriteResult> {
  const desired = desiredSecret(w)
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = await readLive(core, w)
    try {
      if (!live) {
        await core.createNamespacedSecret({ namespace: w.namespace, body: desired, fieldManager: 'kupe' })
        return { ok: true, changed: true }
      }
      const problem = ownershipProblem(live, w.managedSecret)
      if (problem) return { ok: false, message: problem }
      if (holds(live, desired)) return { ok: true, changed: false }
      if (live.type !== desired.type) {
        // The type of a Secret cannot change: replace the object, only if it is still the one we read.
        await core.deleteNamespacedSecret({ name: w.name, namespace: w.namespace, body: { preconditions: { uid: live.metadata?.uid } } })
        continue
      }
      const body: V1Secret = {
        ...desired,
        metadata: {
          ...live.metadata,
          labels: { ...live.metadata?.labels, ...desired.metadata?.labels },
          annotations: { ...live.metadata?.annotations, ...desired.metadata?.annotations },
        },
      }
      await core.replaceNamespacedSecret({ name: w.name, namespace: w.namespace, body, fieldManager: 'kupe' })
      return { ok: true, changed: true }
    } catch (err) {
      const failure = apiFailure(err)
      if (failure?.code === 409) continue // created or changed meanwhile: look again
      if (failure?.code === 404 && !live) return { ok: false, message: `Namespace "${w.namespace}" not found` }
      if (failure?.code === 403) return { ok: false, message: failure.message || 'Forbidden' }
      throw err
    }
  }
  throw new Error(`Secret ${w.namespace}/${w.name} kept changing while Kupe wrote it`)
}
