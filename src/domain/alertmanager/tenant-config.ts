import type { Keys } from '../../lib/secrets-crypto.js'
import { listAlertmanagerObjects } from '../../store/alertmanager.js'
import type { Executor } from '../../store/db.js'
import type { AlertmanagerGlobal, AlertmanagerObjectKind, AlertmanagerRoute } from './schema.js'

type Body = Record<string, unknown>

/** A tenant's whole configuration as written (secrets in the clear), with each object's version. */
export interface TenantConfig {
  receivers: Map<string, { body: Body; version: string }>
  routes: { items: AlertmanagerRoute[]; version: string }
  global: { body: AlertmanagerGlobal; version: string }
}

/** The version of a singleton never written: what its ETag is until the first PUT. */
export const NEVER_WRITTEN = '0'

/** Binds each ciphertext to its tenant and object, so no row can be swapped for another's. */
export const alertmanagerAad = (tenantId: string, kind: AlertmanagerObjectKind, name: string) => `alertmanager:${tenantId}:${kind}:${name}`

export async function loadTenantConfig(db: Executor, keys: Keys, tenantId: string): Promise<TenantConfig> {
  const config: TenantConfig = { receivers: new Map(), routes: { items: [], version: NEVER_WRITTEN }, global: { body: {}, version: NEVER_WRITTEN } }
  for (const row of await listAlertmanagerObjects(db, tenantId)) {
    const body = JSON.parse(keys.decrypt(row.ciphertext, alertmanagerAad(tenantId, row.kind, row.name))) as unknown
    if (row.kind === 'receiver') config.receivers.set(row.name, { body: body as Body, version: row.resource_version })
    else if (row.kind === 'routes') config.routes = { items: body as AlertmanagerRoute[], version: row.resource_version }
    else config.global = { body: body as AlertmanagerGlobal, version: row.resource_version }
  }
  return config
}

/** Every object's version in one string: equal strings mean nothing was written in between. */
export function versionsOf(entries: Array<{ kind: string; name: string; resource_version: string }>): string {
  return entries.map((e) => `${e.kind}/${e.name}@${e.resource_version}`).sort().join(',')
}

export function versionsOfConfig(config: TenantConfig): string {
  const entries = [...config.receivers].map(([name, r]) => ({ kind: 'receiver', name, resource_version: r.version }))
  if (config.routes.version !== NEVER_WRITTEN) entries.push({ kind: 'routes', name: '', resource_version: config.routes.version })
  if (config.global.version !== NEVER_WRITTEN) entries.push({ kind: 'global', name: '', resource_version: config.global.version })
  return versionsOf(entries)
}
