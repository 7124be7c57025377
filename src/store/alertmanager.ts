import type { Insertable } from 'kysely'
import type { Executor } from './db.js'
import type { AlertmanagerObjectKind } from '../domain/alertmanager/schema.js'
import type { AlertmanagerObjectTable } from './alertmanager-tables.js'
import { byteOrder } from './byte-order.js'

export const findAlertmanagerObject = (db: Executor, tenantId: string, kind: AlertmanagerObjectKind, name = '') =>
  db.selectFrom('alertmanager_objects').selectAll()
    .where('tenant_id', '=', tenantId).where('kind', '=', kind).where('name', '=', name)
    .executeTakeFirst()

/** Every object of the tenant (receivers by name), the input of one assembled configuration. */
export const listAlertmanagerObjects = (db: Executor, tenantId: string) =>
  db.selectFrom('alertmanager_objects').selectAll().where('tenant_id', '=', tenantId)
    .orderBy('kind').orderBy(byteOrder('name')).execute()

/** Which objects exist at which version: what an optimistic write checks it still saw. */
export const listAlertmanagerVersions = (db: Executor, tenantId: string) =>
  db.selectFrom('alertmanager_objects').select(['kind', 'name', 'resource_version']).where('tenant_id', '=', tenantId).execute()

/** Tenants that have at least one receiver: the ones an Alertmanager runs for. */
export const listAlertmanagerTenantIds = async (db: Executor): Promise<string[]> =>
  (await db.selectFrom('alertmanager_objects').select('tenant_id').distinct().where('kind', '=', 'receiver').execute()).map((r) => r.tenant_id)

export const upsertAlertmanagerObject = (db: Executor, row: Insertable<AlertmanagerObjectTable>) =>
  db.insertInto('alertmanager_objects').values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'name']).doUpdateSet((eb) => ({
      ciphertext: eb.ref('excluded.ciphertext'),
      masked: eb.ref('excluded.masked'),
      resource_version: eb.ref('excluded.resource_version'),
      updated_at: eb.ref('excluded.updated_at'),
    })))
    .returningAll().executeTakeFirstOrThrow()

export const deleteAlertmanagerObject = (db: Executor, tenantId: string, kind: AlertmanagerObjectKind, name: string) =>
  db.deleteFrom('alertmanager_objects').where('tenant_id', '=', tenantId).where('kind', '=', kind).where('name', '=', name).execute()
