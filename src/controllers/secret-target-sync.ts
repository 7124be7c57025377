import { toProviderCluster } from '../domain/clusters/provider-cluster-mapper.js'
import type { StoredSyncStatus } from '../domain/secrets/schema.js'
import { effectiveSecretName } from '../domain/secrets/secret-status.js'
import { toRfc3339 } from '../lib/time.js'
import type { SyncTarget } from '../domain/secrets/schema.js'
import type { ClusterRow, SecretRow } from '../store/db.js'
import type { VaultHead, VaultValue } from '../vault/types.js'
import type { ControllerDeps } from './deps.js'

/** A Synced target is rewritten this often even when nothing changed, to repair drift (spec §5.4). */
export const DRIFT_REPAIR_MS = 60 * 60 * 1000

const WRITABLE = new Set(['Running', 'Upgrading', 'Migrating', 'Degraded'])

export interface TargetSyncContext {
  deps: Pick<ControllerDeps, 'provider'>
  secret: SecretRow
  /** The tenant's clusters by name, read once per pass. */
  clusters: Map<string, ClusterRow>
  /** The vault entry's latest version, or undefined when the path has none. */
  head: VaultHead | undefined
  /** Decrypts the latest value once, only when some target needs a write. */
  loadValue: () => Promise<VaultValue | undefined>
  now: Date
}

export interface TargetSyncResult {
  status: StoredSyncStatus
  /** An unexpected failure, recorded in `status` and rethrown by the caller for backoff. */
  error?: unknown
}

const isDeleting = (c: ClusterRow) => c.deletion_requested_at !== null || c.status.phase === 'Deleting'

/** Keeps what the target last held (lastSyncTime, sourceVersion) and changes phase and message. */
const withPhase = (prev: StoredSyncStatus, phase: StoredSyncStatus['phase'], message: string): StoredSyncStatus => ({ ...prev, phase, message })

/** The target was last written with this revision on this very cluster. */
const holdsRevision = (prev: StoredSyncStatus, cluster: ClusterRow, head: VaultHead) =>
  prev.phase === 'Synced' && prev.heldClusterId === cluster.id && prev.heldRevision === head.revision

function isCurrent(prev: StoredSyncStatus, cluster: ClusterRow, head: VaultHead, now: Date): boolean {
  if (!holdsRevision(prev, cluster, head)) return false
  const last = prev.lastSyncTime === undefined ? Number.NaN : Date.parse(prev.lastSyncTime)
  return now.getTime() - last < DRIFT_REPAIR_MS
}

/**
 * One target (spec §5.4): look at the cluster and the vault entry, and write the Kubernetes Secret
 * only when the target does not already hold the current revision on this very cluster.
 */
export async function syncTarget(ctx: TargetSyncContext, target: SyncTarget, prev: StoredSyncStatus): Promise<TargetSyncResult> {
  const { deps, secret, head } = ctx
  const cluster = ctx.clusters.get(target.cluster)
  if (!cluster || isDeleting(cluster)) return { status: withPhase(prev, 'Failed', `Cluster "${target.cluster}" not found`) }
  if (cluster.status.phase === 'Failed') return { status: withPhase(prev, 'Failed', `Cluster "${target.cluster}" failed`) }
  if (!head) return { status: withPhase(prev, 'Failed', `Vault entry "${secret.secret_path}" not found`) }
  if (!WRITABLE.has(cluster.status.phase)) return { status: withPhase(prev, 'Pending', '') }
  // A real cluster is looked at on every pass: the provider compares the live Secret (data,
  // labels, annotation) and writes only on drift, so an edited or deleted Secret is restored by
  // the next resync (spec §5.4). A simulated cluster holds nothing that could drift.
  if (deps.provider.simulated && isCurrent(prev, cluster, head, ctx.now)) return { status: prev }
  const held = holdsRevision(prev, cluster, head)

  const value = await ctx.loadValue()
  if (!value) return { status: withPhase(prev, 'Failed', `Vault entry "${secret.secret_path}" not found`) }
  try {
    const result = await deps.provider.writeSecret(toProviderCluster(cluster, deps.provider), {
      namespace: target.namespace,
      name: effectiveSecretName(target, secret.name),
      managedSecret: secret.name,
      sourceVersion: value.version,
      data: value.data,
    })
    // An unreachable cluster tells nothing about what it holds: a target that held the revision keeps its status.
    if (!result.ok) return { status: held && result.unreachable ? prev : withPhase(prev, 'Failed', result.message) }
    if (held && result.changed === false) return { status: prev }
  } catch (error) {
    return { status: withPhase(prev, 'Failed', 'Could not write the Secret; retrying'), error }
  }
  return {
    status: {
      ...prev,
      phase: 'Synced',
      message: '',
      lastSyncTime: toRfc3339(ctx.now),
      sourceVersion: value.version,
      heldClusterId: cluster.id,
      heldRevision: value.revision,
    },
  }
}
