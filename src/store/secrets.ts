import type { Insertable, Updateable } from 'kysely'
import type { Executor, SecretTable } from './db.js'
import { byteOrder } from './byte-order.js'

export const findSecret = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('secrets').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()

export const lockSecret = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('secrets').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).forUpdate().executeTakeFirst()

export const lockSecretById = (db: Executor, id: string) =>
  db.selectFrom('secrets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export const listSecrets = (db: Executor, tenantId: string, afterName?: string, limit?: number) => {
  let q = db.selectFrom('secrets').selectAll().where('tenant_id', '=', tenantId).orderBy(byteOrder('name'))
  if (afterName !== undefined) q = q.where(byteOrder('name'), '>', afterName)
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

/** Every tenant that has secrets, for the sync controller's resync. */
export const listSecretTenantIds = (db: Executor) => db.selectFrom('secrets').select('tenant_id').distinct().execute()

export async function countSecrets(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('secrets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export const insertSecret = (db: Executor, row: Insertable<SecretTable>) =>
  db.insertInto('secrets').values(row).returningAll().executeTakeFirstOrThrow()

export const updateSecret = (db: Executor, id: string, patch: Updateable<SecretTable>) =>
  db.updateTable('secrets').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteSecretRow = (db: Executor, id: string) => db.deleteFrom('secrets').where('id', '=', id).execute()
