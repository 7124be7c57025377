import type { Signal } from '../domain/deps.js'
import { requestTenantClustersDeletion } from '../domain/clusters/cluster-deletion.js'
import { finishTenantDeletion, signalFinished } from '../domain/tenants/tenant-deletion.js'
import { countClusters } from '../store/clusters.js'
import { findTenantById, lockTenant, listDeletingTenantIds } from '../store/tenants.js'
import { after, done, type Controller, type Requeue } from './controller.js'
import type { ControllerDeps } from './deps.js'

type Deps = Pick<ControllerDeps, 'db' | 'clock' | 'config' | 'signal' | 'logger'>

/**
 * Finishes what DELETE of a tenant started (decision 0029): the tenant is `Deleting` in its row,
 * its clusters are asked to go, and the cluster controller tears each one down through the
 * provider and removes its row. Once no cluster is left, this controller removes the tenant's
 * rows. Level-triggered on the phase alone, so after a crash at any point the next look (at
 * start or on resync) carries on; it wakes on `tenants`, which the cluster controller sends
 * whenever it removes a cluster.
 */
export const tenantDeletionController: Controller<Deps, Signal> = {
  name: 'tenant-deletion',
  signals: ['tenants'],
  listKeys: async (deps) => (await listDeletingTenantIds(deps.db)).map((r) => r.id),
  reconcile: reconcileTenantDeletion,
}

export async function reconcileTenantDeletion(deps: Deps, id: string): Promise<Requeue> {
  const tenant = await findTenantById(deps.db, id)
  if (!tenant || tenant.phase !== 'Deleting') return done
  const now = deps.clock.now()
  const { removed, asked } = await deps.db.transaction().execute(async (trx) => {
    await lockTenant(trx, id)
    // A cluster whose create raced the deletion's start is asked to go too.
    const asked = await requestTenantClustersDeletion(trx, id, now)
    return { asked, removed: asked === 0 && (await finishTenantDeletion(deps, trx, id, now)) }
  })
  if (asked > 0) {
    deps.signal('clusters')
    deps.signal('secrets')
  }
  if (removed) {
    deps.logger.info({ tenantId: id, tenant: tenant.name }, 'tenant deleted')
    signalFinished(deps)
    return done
  }
  // Woken by `tenants` when a cluster goes; the look after the resync period is only a backstop.
  const left = await countClusters(deps.db, id)
  return left > 0 ? after(deps.config.resyncSeconds * 1000) : after(0)
}
