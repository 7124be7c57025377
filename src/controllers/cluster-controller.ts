import { sealClusterCa } from '../domain/clusters/cluster-ca.js'
import { observeHighAvailability } from '../domain/clusters/cluster-ha-status.js'
import { SIMULATED_CONDITION, setPhase } from '../domain/clusters/cluster-status.js'
import { startHaMetering } from '../domain/clusters/ha-metering.js'
import { toProviderCluster, toProviderClusterWithCa } from '../domain/clusters/provider-cluster-mapper.js'
import { setCondition } from '../domain/common/conditions.js'
import { createCertificateAuthority } from '../kube/pki.js'
import { TerminalProviderError } from '../providers/errors.js'
import type { StepResult } from '../providers/types.js'
import { closeOpenAllocation } from '../store/allocations.js'
import { deleteClusterRow, findClusterById, listAllClusterIds, listUnsettledClusterIds, lockCluster } from '../store/clusters.js'
import { revokeClusterCredentials } from '../store/credentials.js'
import type { ClusterRow, Executor } from '../store/db.js'
import { scopedToTenant } from '../store/write-scope.js'
import { after, done, type Controller, type Requeue } from './controller.js'
import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { inPhase, writeStatusIfCurrent } from './status.js'

/** What this controller uses (STYLE rule 15). */
type Deps = Pick<ControllerDeps, 'db' | 'clock' | 'keys' | 'provider' | 'signal'>

/**
 * Drives each cluster through its lifecycle (spec §5.2) with the configured provider. Level
 * triggered: every pass re-reads the row and does the next step of whatever is not yet true.
 * Everything needed to resume lives in the row — the controller's own state (CA, the version
 * running, failed generations) in `controller_state`, the provider's step progress in
 * `provider_state` — so a crash at any line only repeats a step that is safe to repeat.
 */
export const clusterController: Controller<Deps, Signal> = {
  name: 'clusters',
  signals: ['clusters'],
  // Every write to a cluster signals its id; a resync catches up on what was missed. With a
  // provider whose health cannot change, a settled cluster has nothing to catch up on, so a resync
  // of a quiet platform reads an empty partial index instead of every cluster (decision 0024).
  keyedSignals: ['clusters'],
  listKeys: async (deps) => (deps.provider.staticHealth ? listUnsettledClusterIds(deps.db) : (await listAllClusterIds(deps.db)).map((r) => r.id)),
  reconcile: reconcileCluster,
}

/** The row moved under us (a PATCH or DELETE): look again at once. */
const again = after(0)

export async function reconcileCluster(deps: Deps, id: string): Promise<Requeue> {
  const row = await findClusterById(deps.db, id)
  if (!row) return done // deleted meanwhile: nothing left to do
  // Every write below is to this cluster's rows (status, credentials, allocation), all of its
  // tenant: other tenants' cached reads stay (decision 0024).
  return reconcileRow({ ...deps, db: scopedToTenant(deps.db, row.tenant_id) }, row)
}

async function reconcileRow(deps: Deps, seen: ClusterRow): Promise<Requeue> {
  let row: ClusterRow | undefined = seen
  if (deps.provider.simulated && !row.status.conditions.some((c) => c.type === SIMULATED_CONDITION.type)) {
    row = await writeStatusIfCurrent(deps, row, { status: (s, now) => setCondition(s.conditions, SIMULATED_CONDITION, now) })
    if (!row) return again
  }
  if (row.deletion_requested_at) return reconcileDeletion(deps, row)
  const state = row.controller_state
  if (inPhase(row, 'Failed') && state.failedGeneration === row.generation) return done // terminal for this generation
  if (inPhase(row, 'Pending', 'Provisioning', 'Failed') || !state.runningVersion) return reconcileProvisioning(deps, row)
  if (state.runningVersion !== row.version) return reconcileUpgrade(deps, row)
  if (row.high_availability && !row.status.haConfigured) return reconcileHaMigration(deps, row)
  return reconcileRunning(deps, row)
}

/**
 * Runs one provider step of `phase`. A terminal failure is returned; any other error is
 * recorded in the Ready message and rethrown for backoff (STYLE.md rule 12).
 */
async function step(deps: Deps, row: ClusterRow, phase: 'Provisioning' | 'Upgrading' | 'Migrating' | 'Deleting', call: () => Promise<StepResult>): Promise<StepResult | TerminalProviderError> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof TerminalProviderError) return err
    const reason = err instanceof Error ? err.message : String(err)
    await writeStatusIfCurrent(deps, row, { status: (s, now) => setPhase(s, phase, now, { message: `Retrying after an error: ${reason}` }) })
    throw err
  }
}

async function reconcileProvisioning(deps: Deps, seen: ClusterRow): Promise<Requeue> {
  let controllerState = seen.controller_state
  if (!controllerState.ca) {
    // Created once and saved before the provider starts, so every later step uses the same CA.
    const ca = await createCertificateAuthority(`kupe-cluster-${seen.id}`, deps.clock.now())
    controllerState = { ...controllerState, ca: sealClusterCa(deps.keys, seen.id, ca) }
  }
  const row = await writeStatusIfCurrent(deps, seen, { status: (s, now) => setPhase(s, 'Provisioning', now), controllerState })
  if (!row) return again
  const result = await step(deps, row, 'Provisioning', () => deps.provider.provision(toProviderClusterWithCa(row, deps.provider, deps.keys), deps.clock.now()))
  if (result instanceof TerminalProviderError) {
    const saved = await writeStatusIfCurrent(deps, row, {
      status: (s, now) => setPhase(s, 'Failed', now, { message: result.message }),
      controllerState: { ...row.controller_state, failedGeneration: row.generation },
    })
    return saved ? done : again
  }
  if (!result.done) {
    const saved = await writeStatusIfCurrent(deps, row, { providerState: result.state })
    return saved ? after(result.retryAfterMs) : again
  }
  const metering = haMetering(deps, row)
  const saved = await writeStatusIfCurrent(deps, row, {
    status: (s, now) => {
      setPhase(s, 'Running', now)
      if (result.kubernetesVersion) s.kubernetesVersion = result.kubernetesVersion
      if (result.endpoint) s.endpoint = result.endpoint
      s.observedGeneration = row.generation
      observeHighAvailability(s, row.high_availability, result.replicas, now)
    },
    controllerState: { ...row.controller_state, runningVersion: row.version, failedGeneration: undefined },
    providerState: result.state,
  }, metering.write)
  metering.signal()
  return saved ? done : again
}

async function reconcileUpgrade(deps: Deps, seen: ClusterRow): Promise<Requeue> {
  if (inPhase(seen, 'Degraded') && seen.controller_state.upgradeFailedGeneration === seen.generation) return done
  const row = await writeStatusIfCurrent(deps, seen, {
    status: (s, now) => setPhase(s, 'Upgrading', now, { message: `Upgrading to Kubernetes ${seen.version}` }),
  })
  if (!row) return again
  const result = await step(deps, row, 'Upgrading', () => deps.provider.upgrade(toProviderClusterWithCa(row, deps.provider, deps.keys), deps.clock.now()))
  if (result instanceof TerminalProviderError) {
    const saved = await writeStatusIfCurrent(deps, row, {
      status: (s, now) => setPhase(s, 'Degraded', now, { reason: 'UpgradeFailed', message: result.message }),
      controllerState: { ...row.controller_state, upgradeFailedGeneration: row.generation },
    })
    return saved ? done : again
  }
  if (!result.done) {
    const saved = await writeStatusIfCurrent(deps, row, { providerState: result.state })
    return saved ? after(result.retryAfterMs) : again
  }
  const metering = haMetering(deps, row)
  const saved = await writeStatusIfCurrent(deps, row, {
    status: (s, now) => {
      setPhase(s, 'Running', now)
      if (result.kubernetesVersion) s.kubernetesVersion = result.kubernetesVersion
      s.observedGeneration = row.generation
      observeHighAvailability(s, row.high_availability, result.replicas, now)
    },
    controllerState: { ...row.controller_state, runningVersion: row.version, upgradeFailedGeneration: undefined },
    providerState: result.state,
  }, metering.write)
  metering.signal()
  return saved ? done : again
}

/**
 * High availability enabled on a running cluster (decision 0020): Migrating while the provider
 * starts the other replicas (the control plane keeps serving), then Running at the new
 * generation with every replica ready; HA metering starts in the same transaction. A
 * migration that fails for good leaves the cluster Degraded on the replicas it had.
 */
async function reconcileHaMigration(deps: Deps, seen: ClusterRow): Promise<Requeue> {
  if (inPhase(seen, 'Degraded') && seen.controller_state.haFailedGeneration === seen.generation) return done
  const row = await writeStatusIfCurrent(deps, seen, {
    status: (s, now) => {
      setPhase(s, 'Migrating', now)
      observeHighAvailability(s, true, undefined, now)
    },
  })
  if (!row) return again
  const result = await step(deps, row, 'Migrating', () => deps.provider.enableHighAvailability(toProviderClusterWithCa(row, deps.provider, deps.keys), deps.clock.now()))
  if (result instanceof TerminalProviderError) {
    const saved = await writeStatusIfCurrent(deps, row, {
      status: (s, now) => {
        setPhase(s, 'Degraded', now, { reason: 'HighAvailabilityFailed', message: result.message })
        observeHighAvailability(s, true, undefined, now)
      },
      controllerState: { ...row.controller_state, haFailedGeneration: row.generation },
    })
    return saved ? done : again
  }
  if (!result.done) {
    const saved = await writeStatusIfCurrent(deps, row, {
      status: (s, now) => observeHighAvailability(s, true, result.replicas, now),
      providerState: result.state,
    })
    return saved ? after(result.retryAfterMs) : again
  }
  const metering = haMetering(deps, row)
  const saved = await writeStatusIfCurrent(deps, row, {
    status: (s, now) => {
      setPhase(s, 'Running', now)
      s.observedGeneration = row.generation
      observeHighAvailability(s, true, result.replicas, now)
    },
    controllerState: { ...row.controller_state, haFailedGeneration: undefined },
    providerState: result.state,
  }, metering.write)
  metering.signal()
  return saved ? done : again
}

/**
 * HA billing starts in the transaction that first records every replica ready (`haConfigured`),
 * whichever step that is: the migration, or a provisioning or upgrade that HA was enabled during.
 */
function haMetering(deps: Deps, seen: ClusterRow) {
  let moved = false
  return {
    write: async (trx: Executor, written: ClusterRow, now: Date) => {
      if (written.high_availability && written.status.haConfigured && !seen.status.haConfigured) moved = await startHaMetering(trx, written.id, now)
    },
    signal: () => {
      if (moved) deps.signal('billing')
    },
  }
}

/** Running ⇄ Degraded by health; resource and alert changes complete by observing the generation. */
async function reconcileRunning(deps: Deps, row: ClusterRow): Promise<Requeue> {
  const health = await deps.provider.health(toProviderCluster(row, deps.provider))
  const metering = haMetering(deps, row)
  const saved = await writeStatusIfCurrent(deps, row, {
    status: (s, now) => {
      if (!health.healthy) setPhase(s, 'Degraded', now, { reason: 'HealthCheckFailed', message: health.message })
      else {
        setPhase(s, 'Running', now)
        s.observedGeneration = row.generation
      }
      observeHighAvailability(s, row.high_availability, health.replicas, now)
    },
  }, metering.write)
  metering.signal()
  return saved ? done : again
}

/** Deleting → gone: credentials revoked, backend torn down, metering closed, row removed. */
async function reconcileDeletion(deps: Deps, seen: ClusterRow): Promise<Requeue> {
  const row = await writeStatusIfCurrent(deps, seen, { status: (s, now) => setPhase(s, 'Deleting', now) })
  if (!row) return again
  await revokeClusterCredentials(deps.db, row.id, deps.clock.now())
  const result = await step(deps, row, 'Deleting', () => deps.provider.deprovision(toProviderCluster(row, deps.provider), deps.clock.now()))
  // A deletion is never abandoned: even a terminal failure is retried with backoff.
  if (result instanceof TerminalProviderError) throw result
  if (!result.done) {
    const saved = await writeStatusIfCurrent(deps, row, { providerState: result.state })
    return saved ? after(result.retryAfterMs) : again
  }
  const now = deps.clock.now()
  const removed = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCluster(trx, row.id)
    if (!locked) return false
    // Billing stops when the cluster is gone (spec §5.8): close its interval at this instant.
    await closeOpenAllocation(trx, row.id, now)
    await deleteClusterRow(trx, row.id)
    return true
  })
  if (removed) {
    deps.signal('secrets', row.tenant_id)
    deps.signal('billing', row.tenant_id)
    // A tenant being deleted goes once its last cluster has (decision 0029).
    deps.signal('tenants')
  }
  return done
}
