import type { ClusterRow } from '../../store/db.js'
import type { ClusterProvider, ProviderFactory, StepResult } from '../types.js'

/**
 * Timers instead of control planes, for demos and API tests (status says `simulated`).
 * Each step finishes `stepSeconds` after it started; the start time lives in provider_state,
 * so a restarted server picks up where it left off.
 */
export const createSimulatedProvider: ProviderFactory = ({ stepSeconds, versions }) => {
  const stepMs = stepSeconds * 1000
  function step(cluster: ClusterRow, now: Date, name: string, finish: Omit<Extract<StepResult, { done: true }>, 'done' | 'state'>): StepResult {
    const state = { ...cluster.provider_state }
    const key = `${name}StartedAt`
    const started = typeof state[key] === 'string' ? Date.parse(state[key] as string) : undefined
    if (started === undefined) {
      state[key] = now.toISOString()
      return { done: false, state, message: `${name} started`, retryAfterMs: stepMs }
    }
    const left = started + stepMs - now.getTime()
    if (left > 0) return { done: false, state, message: `${name} in progress`, retryAfterMs: left }
    delete state[key]
    return { done: true, state, ...finish }
  }
  const release = (c: ClusterRow) => `v${c.version}.0`
  const provider: ClusterProvider = {
    name: 'simulated',
    simulated: true,
    versions: () => versions,
    provision: async (c, now) =>
      step(c, now, 'provision', { kubernetesVersion: release(c), endpoint: `https://${c.name}.${c.tenant_id.slice(0, 8)}.clusters.kupe.invalid` }),
    upgrade: async (c, now) => step(c, now, 'upgrade', { kubernetesVersion: release(c) }),
    deprovision: async (c, now) => step(c, now, 'deprovision', {}),
    health: async () => ({ healthy: true, message: 'Simulated control plane is serving' }),
    connection: async (c) => ({
      endpoint: c.status.endpoint ?? '',
      certificateAuthority: typeof c.provider_state.caPem === 'string' ? Buffer.from(c.provider_state.caPem).toString('base64') : '',
    }),
    writeSecret: async () => ({ ok: true }),
  }
  return provider
}
