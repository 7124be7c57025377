import type { Executor } from './db.js'

/** Keeps every API key of the tenant (id, name, HMAC) before its rows are removed. */
export async function rememberTenantKeys(db: Executor, tenantId: string, tenantName: string, at: Date): Promise<void> {
  const keys = await db.selectFrom('api_keys').select(['id', 'key_hmac']).where('tenant_id', '=', tenantId).execute()
  if (keys.length === 0) return
  await db
    .insertInto('deleted_tenant_keys')
    .values(keys.map((k) => ({ key_id: k.id, tenant_name: tenantName, key_hmac: k.key_hmac, deleted_at: at })))
    .onConflict((oc) => oc.column('key_id').doNothing())
    .execute()
}

export const findDeletedTenantKey = (db: Executor, keyId: string, notBefore: Date) =>
  db.selectFrom('deleted_tenant_keys').selectAll().where('key_id', '=', keyId).where('deleted_at', '>=', notBefore).executeTakeFirst()

export const purgeDeletedTenantKeys = (db: Executor, before: Date) =>
  db.deleteFrom('deleted_tenant_keys').where('deleted_at', '<', before).execute()
