import type { Signal } from '../domain/deps.js'
import { tenantAlertmanagerFile } from '../domain/alertmanager/alertmanager-service.js'
import { listAlertmanagerTenantIds } from '../store/alertmanager.js'
import { after, done, type Controller, type Requeue } from './controller.js'
import type { ControllerDeps } from './deps.js'

type Deps = Pick<ControllerDeps, 'db' | 'keys' | 'provider' | 'config' | 'logger'>

/**
 * Runs each tenant's Alertmanager on the provider that can (issue #12; `local`): one per tenant
 * with at least one receiver, on the configuration as stored now; removed once the tenant has no
 * receiver left or is gone. Keys are the tenants with receivers plus those with an Alertmanager,
 * so one left behind by a deleted tenant is found and removed. Level-triggered: each look
 * rebuilds the file from the rows and the host writes, starts or reloads only on a difference.
 */
export const alertmanagerController: Controller<Deps, Signal> = {
  name: 'alertmanager',
  signals: ['alertmanager'],
  async listKeys(deps) {
    const host = deps.provider.alertmanagers
    if (!host) return []
    return [...new Set([...(await listAlertmanagerTenantIds(deps.db)), ...host.tenants()])]
  },
  reconcile: reconcileAlertmanager,
}

export async function reconcileAlertmanager(deps: Deps, tenantId: string): Promise<Requeue> {
  const host = deps.provider.alertmanagers
  if (!host) return done
  const file = await tenantAlertmanagerFile(deps, tenantId)
  if (file === undefined) {
    await host.remove(tenantId)
    return done
  }
  const status = await host.ensure(tenantId, file)
  if (status.ready) return after(deps.config.resyncSeconds * 1000)
  const retry = status.retryAfterMs ?? deps.config.resyncSeconds * 1000
  // Starting or reloading takes a few short looks; only what will not pass by itself is news.
  if (retry >= 1000) deps.logger.warn({ tenantId, message: status.message }, 'tenant Alertmanager is not running its configuration')
  return after(retry)
}
