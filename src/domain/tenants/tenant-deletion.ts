import { countClusters } from '../../store/clusters.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { Executor, TenantRow } from '../../store/db.js'
import { purgeDeletedTenantKeys, rememberTenantKeys } from '../../store/deleted-tenant-keys.js'
import { countProjects } from '../../store/projects.js'
import { deleteTenant, lockTenant, updateTenant } from '../../store/tenants.js'
import { requestTenantClustersDeletion } from '../clusters/cluster-deletion.js'
import type { DomainDeps, Signal } from '../deps.js'
import { errors } from '../errors.js'
import { recordEvent } from '../events/outbox.js'

/**
 * How long the keys of a removed tenant still learn "Tenant not found" (404) rather than
 * "Missing or invalid authentication" (401): long enough for any client polling for the end.
 */
export const DELETED_TENANT_KEY_DAYS = 1

/** What is woken once a deletion started or finished (clusters to tear down, their targets, …). */
const STARTED: readonly Signal[] = ['tenants', 'clusters', 'secrets']
const FINISHED: readonly Signal[] = ['alertmanager', 'kubeop', 'billing', 'secrets']

export const signalStarted = (deps: Pick<DomainDeps, 'signal'>) => STARTED.forEach((s) => deps.signal(s))
export const signalFinished = (deps: Pick<DomainDeps, 'signal'>) => FINISHED.forEach((s) => deps.signal(s))

/**
 * Starts deleting a tenant (decision 0029), in the caller's transaction: the tenant turns
 * `Deleting` (it still reads; every write is refused) and every cluster of it is asked to go.
 * The tenant deletion controller removes the rows once the last cluster is gone. The state is
 * the phase in the row, so a server that dies at any point resumes on its next look. Projects on
 * host clusters are never cascaded: 409 while the tenant has any. Undefined when the tenant was
 * already being deleted (nothing changes).
 */
export async function beginTenantDeletion(trx: Executor, tenantId: string, now: Date): Promise<TenantRow | undefined> {
  const tenant = await lockTenant(trx, tenantId)
  if (tenant.phase === 'Deleting') return undefined
  const projects = await countProjects(trx, tenantId)
  if (projects > 0) throw errors.tenantHasProjects(projects)
  const updated = await updateTenant(trx, tenantId, { phase: 'Deleting', resource_version: await nextResourceVersion(trx) })
  await requestTenantClustersDeletion(trx, tenantId, now)
  return updated
}

/** Refused unless `cascade`: the tenant still has clusters that are not already going (CLI code `clusters_exist`). */
export async function requireNoLiveClusters(trx: Executor, tenantId: string): Promise<void> {
  const live = await countClusters(trx, tenantId, { notDeleting: true })
  if (live > 0) throw errors.tenantHasClusters(live)
}

/**
 * The last step, once no cluster is left: the tenant's keys are remembered (HMACs only) for a
 * day, then its rows go (every table cascades from `tenants`). True when the rows were removed;
 * false when there is still a cluster (or the tenant is not being deleted, or is gone already).
 */
export async function finishTenantDeletion(deps: Pick<DomainDeps, 'config' | 'clock'>, trx: Executor, tenantId: string, now: Date): Promise<boolean> {
  const tenant = await trx.selectFrom('tenants').select(['id']).where('id', '=', tenantId).executeTakeFirst()
  if (!tenant) return false
  const locked = await lockTenant(trx, tenantId)
  if (locked.phase !== 'Deleting' || (await countClusters(trx, tenantId)) > 0) return false
  await rememberTenantKeys(trx, tenantId, locked.name, now)
  await purgeDeletedTenantKeys(trx, new Date(now.getTime() - DELETED_TENANT_KEY_DAYS * 86_400_000))
  await deleteTenant(trx, tenantId)
  await recordEvent(deps, trx, 'tenant.deleted', { tenant_id: tenantId, name: locked.name })
  return true
}
