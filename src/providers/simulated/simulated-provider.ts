import { Type, type Static } from '@sinclair/typebox'
import { writeSimulatedSecret } from '../../store/simulated-secrets.js'
import { HA_REPLICAS } from '../../domain/clusters/schema.js'
import type { ClusterProvider, ProviderFactory, ReplicaCount, StepResult } from '../types.js'

type Step = 'provision' | 'upgrade' | 'migrate' | 'deprovision'

/** When the step in progress started (RFC 3339; at most one runs at a time, none while nothing runs). */
const SimulatedState = Type.Object({
  provisionStartedAt: Type.Optional(Type.String()),
  upgradeStartedAt: Type.Optional(Type.String()),
  migrateStartedAt: Type.Optional(Type.String()),
  deprovisionStartedAt: Type.Optional(Type.String()),
})
type SimulatedState = Static<typeof SimulatedState>

/**
 * Timers instead of control planes, for demos and API tests (status says `simulated`).
 * Each step finishes `stepSeconds` after it started; the start time lives in the provider's
 * state, so a restarted server picks up where it left off. The Secrets its clusters hold are
 * rows of `simulated_secrets` (owner and version, never a value).
 */
export const createSimulatedProvider: ProviderFactory = ({ stepSeconds, versions, db, clock }) => {
  const stepMs = stepSeconds * 1000
  type Finish = Omit<Extract<StepResult, { done: true }>, 'done' | 'state'>
  /** `during`: the replicas the model serves while the step runs (a migration keeps the one it had). */
  function step(current: SimulatedState, now: Date, name: Step, finish: Finish, during?: ReplicaCount): StepResult<SimulatedState> {
    const key = `${name}StartedAt` as const
    const startedAt = current[key]
    const progress = during ? { replicas: during } : {}
    if (startedAt === undefined) {
      return { done: false, state: { ...current, [key]: now.toISOString() }, message: `${name} started`, retryAfterMs: stepMs, ...progress }
    }
    const left = Date.parse(startedAt) + stepMs - now.getTime()
    if (left > 0) return { done: false, state: current, message: `${name} in progress`, retryAfterMs: left, ...progress }
    const { [key]: _finished, ...state } = current
    return { done: true, state, ...finish }
  }
  // The model: every replica a cluster should run serves once a step is done.
  const allReady = (ha: boolean): ReplicaCount => ({ ready: ha ? HA_REPLICAS : 1, desired: ha ? HA_REPLICAS : 1 })
  const release = (version: string) => `v${version}.0`
  const provider: ClusterProvider<SimulatedState> = {
    name: 'simulated',
    simulated: true,
    staticHealth: true,
    stateSchema: SimulatedState,
    versions: () => versions,
    provision: async (c, now) => step(c.state, now, 'provision', {
      kubernetesVersion: release(c.version), endpoint: `https://${c.name}.${c.tenantId.slice(0, 8)}.clusters.kupe.invalid`, replicas: allReady(c.highAvailability),
    }),
    upgrade: async (c, now) => step(c.state, now, 'upgrade', { kubernetesVersion: release(c.version), replicas: allReady(c.highAvailability) }),
    enableHighAvailability: async (c, now) =>
      step(c.state, now, 'migrate', { replicas: allReady(true) }, { ready: 1, desired: HA_REPLICAS }),
    deprovision: async (c, now) => step(c.state, now, 'deprovision', {}),
    health: async (c) => ({
      healthy: true, message: 'Simulated control plane is serving',
      // A migration the model has not finished serves the one replica it had.
      replicas: c.state.migrateStartedAt ? { ready: 1, desired: HA_REPLICAS } : allReady(c.highAvailability),
    }),
    // The CA is real (created by the cluster controller before provisioning); only the
    // endpoint behind it does not exist.
    connection: async (c) => ({
      endpoint: c.endpoint ?? '',
      certificateAuthority: c.ca ? Buffer.from(c.ca.certPem).toString('base64') : '',
    }),
    // Every namespace exists (nothing could create one in a cluster that does not run), but a
    // Secret name belongs to the first managed secret that wrote it, as on a real cluster.
    writeSecret: async (c, secret) => {
      const { owner, changed } = await writeSimulatedSecret(db, {
        clusterId: c.id, namespace: secret.namespace, name: secret.name,
        managedSecret: secret.managedSecret, sourceVersion: secret.sourceVersion, now: clock.now(),
      })
      return owner === secret.managedSecret ? { ok: true, changed } : { ok: false, message: `Secret is managed by "${owner}"` }
    },
  }
  return provider
}
