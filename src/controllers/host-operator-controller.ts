import type { Signal } from '../domain/deps.js'
import { kubeconfigAad } from '../domain/hostclusters/host-cluster-access.js'
import { findHostCluster, listHostClusters } from '../store/host-clusters.js'
import { done, type Controller, type Requeue } from './controller.js'
import type { ControllerDeps } from './deps.js'

type Deps = Pick<ControllerDeps, 'db' | 'keys' | 'hostOperators'>

/**
 * Keeps an in-process operator running for every host cluster registered with the embedded
 * operator (decision 0012), and stops the ones whose host cluster went away or asked for an
 * external operator (`autoBootstrap: false`).
 */
export const hostOperatorController: Controller<Deps, Signal> = {
  name: 'host-operators',
  signals: ['host-clusters'],
  async listKeys(deps) {
    const ids = (await listHostClusters(deps.db)).map((h) => h.id)
    return [...new Set([...ids, ...deps.hostOperators.running()])]
  },
  reconcile: reconcileHostOperator,
}

export async function reconcileHostOperator(deps: Deps, id: string): Promise<Requeue> {
  const host = await findHostCluster(deps.db, id)
  if (!host || host.operator !== 'in-process') {
    await deps.hostOperators.stop(id)
    return done
  }
  deps.hostOperators.ensure(id, deps.keys.decrypt(host.kubeconfig_enc, kubeconfigAad(id)))
  return done
}
