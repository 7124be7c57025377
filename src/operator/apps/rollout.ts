import type { V1Deployment } from '@kubernetes/client-node'

/** How far a Deployment's rollout of its current template has come. */
export interface Rollout {
  /** Every replica runs the current template and is available, and no old one is left. */
  complete: boolean
  availableReplicas: number
  /** Set when the Deployment gave up (its progress deadline passed). */
  failed?: string
  message: string
}

/** Read the way `kubectl rollout status` reads it, so "complete" means the same to the operator and to people. */
export function rolloutOf(d: V1Deployment, replicas: number): Rollout {
  const st = d.status ?? {}
  const availableReplicas = st.availableReplicas ?? 0
  const progressing = st.conditions?.find((c) => c.type === 'Progressing')
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { complete: false, availableReplicas, failed: progressing.message ?? 'the rollout exceeded its progress deadline', message: 'rollout failed' }
  }
  const observed = (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1)
  const updated = st.updatedReplicas ?? 0
  const total = st.replicas ?? 0
  const complete = observed && updated === replicas && total === replicas && availableReplicas === replicas
  const message = !observed ? 'waiting for the Deployment controller' : `${updated}/${replicas} updated, ${availableReplicas} available${total > updated ? `, ${total - updated} old` : ''}`
  return { complete, availableReplicas, message }
}
