import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { checkHostCluster } from '../domain/hostclusters/host-cluster-service.js'
import { listHostClusters } from '../store/host-clusters.js'
import { after, done, type Controller, type Requeue } from './controller.js'

/** What this controller uses of the container (STYLE rule 15). */
type HostClusterHealthDeps = Pick<ControllerDeps, 'db' | 'clock' | 'keys' | 'config' | 'signal'>

/**
 * Keeps each host cluster's health current (Ready condition, server version, nodes) between
 * live GETs, and announces `cluster.ready` when one becomes ready.
 */
export const hostClusterHealthController: Controller<HostClusterHealthDeps, Signal> = {
  name: 'host-cluster-health',
  signals: ['host-clusters'],
  listKeys: async (deps) => (await listHostClusters(deps.db)).map((r) => r.id),
  reconcile: reconcileHostClusterHealth,
}

export async function reconcileHostClusterHealth(deps: HostClusterHealthDeps, id: string): Promise<Requeue> {
  const saved = await checkHostCluster(deps, id)
  if (!saved) return done
  if (saved.health.phase === 'Ready') deps.signal('events')
  return after(deps.config.kubeop.healthSeconds * 1000)
}
