import { usageError } from './errors.js'

/** A secret's sync target (spec §5.4). */
export interface SyncTarget {
  cluster: string
  namespace: string
  secretName?: string
}

/** `cluster/namespace[/secretName]` → a target. */
export function parseTarget(text: string): SyncTarget {
  const parts = text.split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw usageError(`invalid target "${text}": expected CLUSTER/NAMESPACE or CLUSTER/NAMESPACE/SECRET-NAME`)
  }
  const [cluster, namespace, secretName] = parts as [string, string, string | undefined]
  return { cluster, namespace, ...(secretName !== undefined ? { secretName } : {}) }
}

export function formatTarget(t: SyncTarget): string {
  return [t.cluster, t.namespace, t.secretName].filter((p) => p !== undefined).join('/')
}

/** Two targets are the same when cluster, namespace and effective secret name match (spec §5.4). */
export function sameTarget(a: SyncTarget, b: SyncTarget, secretName: string): boolean {
  return a.cluster === b.cluster && a.namespace === b.namespace && (a.secretName ?? secretName) === (b.secretName ?? secretName)
}
