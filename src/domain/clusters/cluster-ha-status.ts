import { toRfc3339 } from '../../lib/time.js'
import { setCondition } from '../common/conditions.js'
import { HA_REPLICAS, type ClusterStatus, type HaPhase } from './schema.js'

/** Control-plane replicas as last observed (providers/types.ts ReplicaCount, repeated here so the domain owns its status). */
interface Replicas {
  ready: number
  desired: number
}

const HA_CONDITION = 'HighAvailability'

const CONDITION: Record<HaPhase, { status: 'True' | 'False'; reason: string }> = {
  'pending': { status: 'False', reason: 'Pending' },
  'migrating': { status: 'False', reason: 'Migrating' },
  'ha-healthy': { status: 'True', reason: 'ReplicasReady' },
  'ha-degraded': { status: 'False', reason: 'ReplicasDegraded' },
  'ha-unavailable': { status: 'False', reason: 'ReplicasUnavailable' },
}

function phaseOf(s: ClusterStatus, ready: number | undefined, desired: number): HaPhase {
  if (s.phase === 'Migrating') return 'migrating'
  if (!s.haConfigured) return 'pending'
  if (ready === undefined || ready >= desired) return 'ha-healthy'
  return ready > 0 ? 'ha-degraded' : 'ha-unavailable'
}

/**
 * Writes the HA fields the Kupe CLI reads (decision 0020) from what was observed: on a cluster
 * without high availability they are absent; on one with it, `haConfigured` and `haEnabledAt`
 * are set the first time every replica is ready outside a migration (and stay: they record that
 * HA was delivered, and when its billing started), `haPhase` and the `HighAvailability`
 * condition follow the latest replica counts. `replicas` undefined keeps the last counts.
 */
export function observeHighAvailability(s: ClusterStatus, highAvailability: boolean, replicas: Replicas | undefined, now: Date): void {
  if (!highAvailability) {
    delete s.haConfigured
    delete s.haEnabledAt
    delete s.haPhase
    delete s.haReplicasReady
    delete s.haReplicasDesired
    s.conditions = s.conditions.filter((c) => c.type !== HA_CONDITION)
    return
  }
  if (replicas) {
    s.haReplicasReady = replicas.ready
    s.haReplicasDesired = replicas.desired
  }
  const desired = s.haReplicasDesired ?? HA_REPLICAS
  s.haReplicasDesired = desired
  const ready = s.haReplicasReady
  const serving = s.phase === 'Running' || s.phase === 'Upgrading' || s.phase === 'Degraded'
  if (!s.haConfigured && serving && ready !== undefined && ready >= desired) {
    s.haConfigured = true
    s.haEnabledAt = toRfc3339(now)
  }
  s.haConfigured ??= false
  const phase = phaseOf(s, ready, desired)
  s.haPhase = phase
  const counts = `${ready ?? 0}/${desired} control-plane replicas ready`
  setCondition(s.conditions, { type: HA_CONDITION, ...CONDITION[phase], message: phase === 'migrating' ? `Enabling high availability: ${counts}` : counts }, now)
}
