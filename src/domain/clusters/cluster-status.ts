import type { Condition } from '../common/schema.js'
import { HA_REPLICAS, type ClusterPhase, type ClusterStatus } from './schema.js'
import { setCondition } from '../common/conditions.js'
import { observeHighAvailability } from './cluster-ha-status.js'

/** Phases in which the control plane serves: connection details and credentials are available. */
export const SERVING_PHASES: readonly ClusterPhase[] = ['Running', 'Upgrading', 'Migrating', 'Degraded']

type ReadyCondition = Omit<Condition, 'type' | 'lastTransitionTime'>

/** The `Ready` condition each phase implies (spec §5.2 lifecycle table). */
const READY: Record<ClusterPhase, ReadyCondition> = {
  Pending: { status: 'False', reason: 'Pending', message: 'Waiting to be provisioned' },
  Provisioning: { status: 'False', reason: 'Provisioning', message: 'Control plane is being created' },
  Running: { status: 'True', reason: 'Running', message: 'Control plane is serving' },
  Upgrading: { status: 'True', reason: 'Upgrading', message: 'A version change is rolling out' },
  Migrating: { status: 'True', reason: 'Migrating', message: 'High availability is being enabled; the control plane keeps serving' },
  Degraded: { status: 'False', reason: 'HealthCheckFailed', message: 'Control plane fails health checks' },
  Failed: { status: 'False', reason: 'ProvisioningFailed', message: 'Provisioning failed' },
  Deleting: { status: 'False', reason: 'Deleting', message: 'Cluster is being deleted' },
}

export const SIMULATED_CONDITION = {
  type: 'Simulated',
  status: 'True',
  reason: 'SimulatedProvider',
  message: 'This cluster is simulated: no real control plane runs',
} as const

/** Moves a status to `phase`, with the phase's Ready condition (reason/message may be refined). */
export function setPhase(status: ClusterStatus, phase: ClusterPhase, now: Date, detail: Partial<Pick<Condition, 'reason' | 'message'>> = {}): void {
  status.phase = phase
  setCondition(status.conditions, { type: 'Ready', ...READY[phase], ...detail }, now)
}

/** The status of a cluster just accepted (spec §6.2 POST response). */
export function initialStatus(now: Date, simulated: boolean, highAvailability: boolean): ClusterStatus {
  const status: ClusterStatus = { phase: 'Pending', observedGeneration: 0, conditions: [] }
  setPhase(status, 'Pending', now)
  if (simulated) setCondition(status.conditions, SIMULATED_CONDITION, now)
  observeHighAvailability(status, highAvailability, { ready: 0, desired: HA_REPLICAS }, now)
  return status
}
