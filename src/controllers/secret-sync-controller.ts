import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { mapConcurrently } from '../lib/concurrency.js'
import type { StoredSecretStatus, StoredSyncStatus } from '../domain/secrets/schema.js'
import { alignSyncStatuses, sameStatus, summariseSecretStatus } from '../domain/secrets/secret-status.js'
import { listClusters } from '../store/clusters.js'
import type { ClusterRow, SecretRow } from '../store/db.js'
import { listSecrets, listSecretTenantIds } from '../store/secrets.js'
import { openVault } from '../vault/registry.js'
import type { VaultBackend, VaultHead, VaultValue } from '../vault/types.js'
import { after, done, type Controller, type Requeue } from './controller.js'
import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { writeSecretStatus, type StatusWrite } from './secret-status-writer.js'
import { syncTarget } from './secret-target-sync.js'


/** Targets written at once: a vault write reaches a hundred targets in a few clusters within ~1 s (bench:sync). */
const TARGET_CONCURRENCY = 8
/** Failed targets are retried at least this often (spec §5.4: at least every 60 s). */
const FAILED_RETRY_MS = 30_000
/** Targets waiting for their cluster to come up are looked at again this soon. */
const PENDING_RETRY_MS = 5_000
/** The targets changed while we worked: look again at once with the new list. */
const STALE_RETRY_MS = 100

type Deps = Pick<ControllerDeps, 'db' | 'keys' | 'clock' | 'provider'>

/** What one pass over a tenant reads once and shares between its secrets. */
interface TenantPass {
  deps: Deps
  vault: VaultBackend
  heads: Map<string, VaultHead>
  clusters: Map<string, ClusterRow>
  values: Map<string, Promise<VaultValue | undefined>>
  now: Date
}

interface SecretOutcome {
  statuses: StoredSyncStatus[]
  saved: StatusWrite
  failure?: unknown
}

async function reconcileOneSecret(pass: TenantPass, secret: SecretRow): Promise<SecretOutcome> {
  const path = secret.secret_path
  // Decrypted once per pass and path, and only when a target is behind.
  const loadValue = () => {
    let value = pass.values.get(path)
    if (!value) {
      value = pass.vault.read(secret.tenant_id, path).then((r) => (r.kind === 'value' ? r.value : undefined))
      pass.values.set(path, value)
    }
    return value
  }
  const previous = secret.status as StoredSecretStatus
  const targets = secret.sync ?? []
  const aligned = alignSyncStatuses(secret.name, targets, previous.syncStatuses)
  const ctx = { deps: pass.deps, secret, clusters: pass.clusters, head: pass.heads.get(path), loadValue, now: pass.now }
  // syncTarget records its failures in the status it returns, so one slow or failing cluster
  // neither stops nor holds up the others.
  const results = await mapConcurrently(targets, TARGET_CONCURRENCY, (target, i) => syncTarget(ctx, target, aligned[i]!))
  const statuses: StoredSyncStatus[] = results.map((r) => r.status)
  const failure = results.find((r) => r.error !== undefined)?.error
  const status = summariseSecretStatus(statuses, previous.conditions, pass.now)
  // Look before locking: most passes change nothing.
  const saved = sameStatus(previous, status) ? 'unchanged' : await writeSecretStatus(pass.deps, secret.id, secret.generation, status)
  return { statuses, saved, failure }
}

/**
 * Keeps every target of every managed secret of one tenant holding the vault entry's current
 * value (spec §5.4). One pass reads the tenant's secrets, vault heads and clusters once, writes
 * only targets that are behind, records each secret's outcome through the one status writer,
 * and rethrows an unexpected failure once everything is recorded.
 */
export async function reconcileTenantSecrets(deps: Deps, tenantId: string): Promise<Requeue> {
  const secrets = await listSecrets(deps.db, tenantId)
  if (secrets.length === 0) return done
  const vault = openVault(deps)
  const pass: TenantPass = {
    deps,
    vault,
    heads: await vault.heads(tenantId, secrets.map((s) => s.secret_path)),
    clusters: new Map((await listClusters(deps.db, tenantId)).map((c) => [c.name, c])),
    values: new Map(),
    now: deps.clock.now(),
  }
  let failure: unknown
  let wait: number | undefined
  const sooner = (ms: number) => (wait = wait === undefined ? ms : Math.min(wait, ms))
  for (const secret of secrets) {
    // PGlite runs in this thread: let requests in between secrets rather than after the pass.
    await yieldToEventLoop()
    const outcome = await reconcileOneSecret(pass, secret)
    if (outcome.failure !== undefined) failure ??= outcome.failure
    if (outcome.saved === 'stale') sooner(STALE_RETRY_MS)
    if (outcome.statuses.some((s) => s.phase === 'Pending')) sooner(PENDING_RETRY_MS)
    if (outcome.statuses.some((s) => s.phase === 'Failed')) sooner(FAILED_RETRY_MS)
  }
  if (failure !== undefined) throw failure
  return wait === undefined ? done : after(wait)
}

/**
 * Keyed by tenant: a pass shares its reads between the tenant's secrets, and a vault write
 * reaches every secret on that path in one pass.
 */
export const secretSyncController: Controller<Deps, Signal> = {
  name: 'secret-sync',
  // Vault writes, secret changes and cluster phase changes all signal `secrets`.
  signals: ['secrets'],
  keyedSignals: ['secrets'],
  listKeys: async (deps) => (await listSecretTenantIds(deps.db)).map((r) => r.tenant_id),
  reconcile: reconcileTenantSecrets,
}
