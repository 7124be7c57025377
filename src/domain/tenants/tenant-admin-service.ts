import { randomUUID } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { freezeShared, sharedSlot } from '../../lib/shared-value.js'
import { nextResourceVersion } from '../../store/connect.js'
import { insertMember } from '../../store/members.js'
import { findPlan } from '../../store/plans.js'
import { scopedToTenant } from '../../store/write-scope.js'
import {
  findTenantByName,
  insertPlanChange,
  insertTenant,
  listTenants,
  lockTenant,
  updateTenant,
} from '../../store/tenants.js'
import { issueApiKey } from '../apikeys/apikey-service.js'
import type { ApiKeyCreated } from '../apikeys/schema.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterName, cachedList, pageOf } from '../common/cached-page.js'
import { decodeContinue, stringKey, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { Tenant, TenantCreate } from './schema.js'
import { beginTenantDeletion, signalStarted } from './tenant-deletion.js'
import { cachedTenantByName } from './tenant-lookup.js'
import { tenantToApi, tenantView } from './tenant-view.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'keys' | 'signal' | 'readCache'>

const DEFAULT_PLAN = 'starter'

/**
 * Creates a tenant, its owner as first admin member, and an admin API key for the owner —
 * the platform operator's bootstrap (issue #2 §3). The key is shown once, in this response.
 */
export async function createTenant(deps: Deps, body: TenantCreate): Promise<Tenant & { apiKey: Pick<ApiKeyCreated, 'id' | 'key' | 'role'> }> {
  const plan = body.plan ?? DEFAULT_PLAN
  if (!(await findPlan(deps.db, plan))) throw errors.invalidField('plan', 'plan', `unknown plan "${plan}"`)
  const now = deps.clock.now()
  const owner = body.owner.toLowerCase()
  const id = randomUUID()
  // Every row written is the new tenant's: other tenants' cached reads stay (decision 0024).
  const { tenant, key } = await scopedToTenant(deps.db, id).transaction().execute(async (trx) => {
    if (await findTenantByName(trx, body.name)) throw errors.tenantExists()
    const tenant = await insertTenant(trx, {
      id, name: body.name, display_name: body.displayName ?? body.name,
      contact_email: body.contactEmail.toLowerCase(), plan, enforce_metrics_limit: true, enforce_log_limit: true,
      phase: 'Active', resource_version: await nextResourceVersion(trx), created_at: now,
    })
    await insertPlanChange(trx, tenant.id, plan, now)
    await insertMember(trx, tenant.id, owner, 'admin', now)
    const key = await issueApiKey(deps, trx, {
      tenantId: tenant.id, displayName: `${owner} (bootstrap)`, role: 'admin', createdBy: owner, now,
    })
    return { tenant, key }
  })
  return { ...(await tenantToApi(deps, tenant)), apiKey: { id: key.id, key: key.key, role: 'admin' } }
}

const DIRECTORY_TABLES: readonly CachedTable[] = ['tenants']

/** Every tenant (id and name) by name, from the read cache: each item is then its cached view. */
export async function listAllTenants(deps: Deps, page: Page): Promise<ListResult<Tenant>> {
  const after = stringKey(decodeContinue(page, 'admin:tenants'))
  const directory = await deps.readCache.read('tenant-directory', DIRECTORY_TABLES, async () =>
    cachedList(await listTenants(deps.db, undefined, undefined), (r) => [r.name], (r) => r.id))
  const ids = pageOf(directory!, page, 'admin:tenants', after === undefined ? undefined : afterName(after))
  const views = await Promise.all(ids.items.map((id) => tenantView(deps, id)))
  // A tenant deleted since the directory was read is left out, as a later page would.
  const items = views.filter((v) => v !== undefined)
  // The whole directory (a frozen cached value) whose tenant views are the same cached objects as
  // last time: the same response, whose JSON is then written once, not once per request.
  const known = wholeDirectories.get(ids)
  if (known && known.items.length === items.length && known.items.every((v, i) => v === items[i])) return known
  const result = { ...ids, items }
  if (Object.isFrozen(ids) && items.every((v) => Object.isFrozen(v))) wholeDirectories.set(ids, freezeShared(result))
  return result
}

const wholeDirectories = sharedSlot<ListResult<Tenant>>('tenant directory response')

async function requireTenant(deps: Deps, name: string) {
  const t = await findTenantByName(deps.db, name)
  if (!t) throw errors.tenantNotFound()
  return t
}

export async function getTenantAsAdmin(deps: Deps, name: string): Promise<Tenant> {
  const tenant = await cachedTenantByName(deps, name)
  const view = tenant && (await tenantView(deps, tenant.id))
  if (!view) throw errors.tenantNotFound()
  return view
}

/**
 * DELETE /admin/tenants/{name}: starts deleting the tenant and everything it owns, its clusters
 * first (decision 0029). Answers the tenant in `Deleting`; asking again changes nothing.
 * Projects on host clusters are not cascaded: 409 until they are deleted.
 */
export async function deleteTenantAsAdmin(deps: Deps, name: string): Promise<Tenant> {
  const t = await requireTenant(deps, name)
  const started = await deps.db.transaction().execute((trx) => beginTenantDeletion(trx, t.id, deps.clock.now()))
  if (started) signalStarted(deps)
  const view = await tenantView(deps, t.id)
  if (!view) throw errors.tenantNotFound()
  return view
}

export async function setTenantPhase(deps: Deps, name: string, phase: 'Active' | 'Suspended'): Promise<Tenant> {
  const t = await requireTenant(deps, name)
  if (t.phase === 'Deleting') throw errors.tenantDeleting()
  if (t.phase === phase) return tenantToApi(deps, t)
  const updated = await deps.db.transaction().execute(async (trx) => {
    // Under the lock: a deletion that began meanwhile is never turned back into Active or Suspended.
    if ((await lockTenant(trx, t.id)).phase === 'Deleting') throw errors.tenantDeleting()
    return updateTenant(trx, t.id, { phase, resource_version: await nextResourceVersion(trx) })
  })
  return tenantToApi(deps, updated)
}
