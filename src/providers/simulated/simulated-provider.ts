import { Type, type Static } from '@sinclair/typebox'
import { writeSimulatedSecret } from '../../store/simulated-secrets.js'
import type { ClusterProvider, ProviderFactory, StepResult } from '../types.js'

type Step = 'provision' | 'upgrade' | 'deprovision'

/** When the step in progress started (RFC 3339; at most one runs at a time, none while nothing runs). */
const SimulatedState = Type.Object({
  provisionStartedAt: Type.Optional(Type.String()),
  upgradeStartedAt: Type.Optional(Type.String()),
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
  function step(current: SimulatedState, now: Date, name: Step, finish: Finish): StepResult<SimulatedState> {
    const key = `${name}StartedAt` as const
    const startedAt = current[key]
    if (startedAt === undefined) {
      return { done: false, state: { ...current, [key]: now.toISOString() }, message: `${name} started`, retryAfterMs: stepMs }
    }
    const left = Date.parse(startedAt) + stepMs - now.getTime()
    if (left > 0) return { done: false, state: current, message: `${name} in progress`, retryAfterMs: left }
    const { [key]: _finished, ...state } = current
    return { done: true, state, ...finish }
  }
  const release = (version: string) => `v${version}.0`
  const provider: ClusterProvider<SimulatedState> = {
    name: 'simulated',
    simulated: true,
    staticHealth: true,
    stateSchema: SimulatedState,
    versions: () => versions,
    provision: async (c, now) =>
      step(c.state, now, 'provision', { kubernetesVersion: release(c.version), endpoint: `https://${c.name}.${c.tenantId.slice(0, 8)}.clusters.kupe.invalid` }),
    upgrade: async (c, now) => step(c.state, now, 'upgrade', { kubernetesVersion: release(c.version) }),
    deprovision: async (c, now) => step(c.state, now, 'deprovision', {}),
    health: async () => ({ healthy: true, message: 'Simulated control plane is serving' }),
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
