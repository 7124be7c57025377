import { etagMatches } from '../../lib/etag.js'
import { deleteAlertmanagerObject, findAlertmanagerObject, listAlertmanagerObjects } from '../../store/alertmanager.js'
import type { AlertmanagerObjectRow } from '../../store/alertmanager-tables.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import type { DomainDeps } from '../deps.js'
import { errors } from '../errors.js'
import { alertmanagerConfigFile, routesUse } from './config-file.js'
import { putAlertmanagerObject } from './config-write.js'
import { alertmanagerErrors } from './errors.js'
import { checkFieldRules } from './field-rules.js'
import {
  RECEIVER_NAME, UNROUTED_RECEIVER,
  type AlertmanagerGlobal, type AlertmanagerReceiver, type AlertmanagerRoute, type AlertmanagerRoutes, type AlertmanagerRoutesWrite,
} from './schema.js'
import { restoreSecrets } from './secret-fields.js'
import { loadTenantConfig, NEVER_WRITTEN } from './tenant-config.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'config' | 'signal'>

/** A response body and the version its ETag carries. */
export interface Versioned<T> {
  body: T
  version: string
}

const MAX_RECEIVERS = 100
const NAME = new RegExp(RECEIVER_NAME)

function checkName(name: string): void {
  if (!NAME.test(name)) throw alertmanagerErrors.invalidReceiverName()
}

/** If-Match against an object's current version; a never-written singleton is version "0". */
function checkIfMatch(ifMatch: string | undefined, version: string | undefined): void {
  if (ifMatch === undefined) return
  if (version === undefined || !etagMatches(ifMatch, version)) throw errors.etagMismatch()
}

const receiverView = (row: AlertmanagerObjectRow): AlertmanagerReceiver => ({ name: row.name, ...(row.masked as object) })

export async function listReceivers(deps: Deps, ctx: TenantContext): Promise<{ items: AlertmanagerReceiver[] }> {
  const rows = await listAlertmanagerObjects(deps.db, ctx.tenant.id)
  return { items: rows.filter((r) => r.kind === 'receiver').map(receiverView) }
}

export async function getReceiver(deps: Deps, ctx: TenantContext, name: string): Promise<Versioned<AlertmanagerReceiver>> {
  checkName(name)
  const row = await findAlertmanagerObject(deps.db, ctx.tenant.id, 'receiver', name)
  if (!row) throw alertmanagerErrors.receiverNotFound()
  return { body: receiverView(row), version: row.resource_version }
}

/**
 * PUT …/receivers/{name}: creates or replaces the receiver (the path names it; a `name` in the
 * body is ignored). "<secret>" in a secret field keeps the value stored there.
 */
export async function putReceiver(
  deps: Deps, ctx: TenantContext, name: string, body: AlertmanagerReceiver, ifMatch: string | undefined,
): Promise<Versioned<AlertmanagerReceiver> & { created: boolean }> {
  checkName(name)
  if (name === UNROUTED_RECEIVER) throw alertmanagerErrors.reservedReceiverName(name)
  const { name: _ignored, ...spec } = body
  checkFieldRules(spec)
  const { row, created } = await putAlertmanagerObject(deps, ctx.tenant.id, (current, trees) => {
    const existing = current.receivers.get(name)
    checkIfMatch(ifMatch, existing?.version)
    if (!existing && current.receivers.size >= MAX_RECEIVERS) throw alertmanagerErrors.tooManyReceivers(MAX_RECEIVERS)
    return { kind: 'receiver', name, body: restoreSecrets(spec, existing?.body, trees.receiver) }
  })
  return { body: receiverView(row), version: row.resource_version, created }
}

/** DELETE …/receivers/{name}: 409 while a route sends to it. */
export async function deleteReceiver(deps: Deps, ctx: TenantContext, name: string, ifMatch: string | undefined): Promise<void> {
  checkName(name)
  await deps.db.transaction().execute(async (trx) => {
    await lockTenant(trx, ctx.tenant.id)
    const row = await findAlertmanagerObject(trx, ctx.tenant.id, 'receiver', name)
    if (!row) throw alertmanagerErrors.receiverNotFound()
    checkIfMatch(ifMatch, row.resource_version)
    const routes = await findAlertmanagerObject(trx, ctx.tenant.id, 'routes')
    if (routes && routesUse(routes.masked as AlertmanagerRoute[], name)) throw alertmanagerErrors.receiverInUse(name)
    await deleteAlertmanagerObject(trx, ctx.tenant.id, 'receiver', name)
  })
  deps.signal('alertmanager')
}

export async function getRoutes(deps: Deps, ctx: TenantContext): Promise<Versioned<AlertmanagerRoutes>> {
  const row = await findAlertmanagerObject(deps.db, ctx.tenant.id, 'routes')
  return { body: { items: (row?.masked as AlertmanagerRoute[] | undefined) ?? [] }, version: row?.resource_version ?? NEVER_WRITTEN }
}

/** PUT …/routes: replaces the whole list; `null` is the empty list. */
export async function putRoutes(deps: Deps, ctx: TenantContext, body: AlertmanagerRoutesWrite, ifMatch: string | undefined): Promise<Versioned<AlertmanagerRoutes>> {
  const items = body.items ?? []
  checkFieldRules(items, 'items')
  const { row } = await putAlertmanagerObject(deps, ctx.tenant.id, (current) => {
    checkIfMatch(ifMatch, current.routes.version)
    return { kind: 'routes', body: items }
  })
  return { body: { items: row.masked as AlertmanagerRoute[] }, version: row.resource_version }
}

export async function getGlobal(deps: Deps, ctx: TenantContext): Promise<Versioned<AlertmanagerGlobal>> {
  const row = await findAlertmanagerObject(deps.db, ctx.tenant.id, 'global')
  return { body: (row?.masked as AlertmanagerGlobal | undefined) ?? {}, version: row?.resource_version ?? NEVER_WRITTEN }
}

/** PUT …/global: replaces the section; `{}` resets it to Alertmanager's defaults. */
export async function putGlobal(deps: Deps, ctx: TenantContext, body: AlertmanagerGlobal, ifMatch: string | undefined): Promise<Versioned<AlertmanagerGlobal>> {
  checkFieldRules(body)
  const { row } = await putAlertmanagerObject(deps, ctx.tenant.id, (current, trees) => {
    checkIfMatch(ifMatch, current.global.version)
    return { kind: 'global', body: restoreSecrets(body, current.global.body, trees.global) }
  })
  return { body: row.masked as AlertmanagerGlobal, version: row.resource_version }
}

/**
 * The file a tenant's Alertmanager loads (secrets in the clear), or undefined when the tenant has
 * no receiver and so nothing to run.
 */
export async function tenantAlertmanagerFile(deps: Pick<DomainDeps, 'db' | 'keys'>, tenantId: string): Promise<string | undefined> {
  const config = await loadTenantConfig(deps.db, deps.keys, tenantId)
  return config.receivers.size === 0 ? undefined : alertmanagerConfigFile(config)
}
