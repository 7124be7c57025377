import { sql, type Insertable } from 'kysely'
import type { ApiKeyTable, Executor } from './db.js'
import { afterCreated } from './created-order.js'

export const findApiKey = (db: Executor, id: string) =>
  db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst()

/** Key and tenant in one round trip: the hot path of every authenticated request. */
export const findApiKeyWithTenant = (db: Executor, id: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
    .select([
      'api_keys.id', 'api_keys.tenant_id', 'api_keys.role', 'api_keys.created_by', 'api_keys.expires_at',
      'api_keys.revoked_at', 'api_keys.key_hmac', 'tenants.name as tenant_name',
      'tenants.display_name as tenant_display_name', 'tenants.contact_email as tenant_contact_email',
      'tenants.plan as tenant_plan', 'tenants.enforce_metrics_limit as tenant_enforce_metrics_limit',
      'tenants.enforce_log_limit as tenant_enforce_log_limit', 'tenants.phase as tenant_phase',
      'tenants.resource_version as tenant_resource_version', 'tenants.created_at as tenant_created_at',
      'tenants.host_cluster_id as tenant_host_cluster_id', 'tenants.quota as tenant_quota',
    ])
    .where('api_keys.id', '=', id)
    .executeTakeFirst()

export const insertApiKey = (db: Executor, row: Insertable<ApiKeyTable>) =>
  db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow()

/** Listed keys, each with when it was last used: every key not revoked (expired keys stay listed until revoked, §5.7). */
export const listApiKeys = (db: Executor, tenantId: string, after?: { createdAt: Date; id: string }, limit?: number) => {
  let q = db
    .selectFrom('api_keys')
    .leftJoin('api_key_usage', 'api_key_usage.key_id', 'api_keys.id')
    .selectAll('api_keys')
    .select('api_key_usage.last_used_at')
    .where('api_keys.tenant_id', '=', tenantId)
    .where('api_keys.revoked_at', 'is', null)
    .orderBy('api_keys.created_at')
    .orderBy('api_keys.id')
  if (after) q = q.where(afterCreated(after))
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

export async function countApiKeys(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export const revokeApiKey = (db: Executor, id: string, at: Date) =>
  db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute()

/**
 * Stamps many keys' use in one statement (spec §1.4): each key's `last_used_at` moves to its use
 * unless its stamp is under `resolutionMs` older, a condition in the statement so that servers
 * racing on one key write it once. Inserted from the keys' own rows, so a key removed meanwhile
 * (its tenant deleted) is nothing to stamp rather than a foreign-key error. Keys must be distinct.
 * The uses arrive as `unnest` of two arrays, whose row count the planner knows: for
 * `jsonb_to_recordset` it assumes 100 rows and, with 10,000 keys, read all of `api_keys` into a
 * hash join on every write (decision 0039).
 */
export const stampApiKeyUses = (db: Executor, uses: ReadonlyArray<{ keyId: string; at: Date }>, resolutionMs: number) =>
  sql`
    INSERT INTO api_key_usage (key_id, tenant_id, last_used_at)
    SELECT k.id, k.tenant_id, u.at
    FROM unnest(${uses.map((u) => u.keyId)}::text[], ${uses.map((u) => u.at.toISOString())}::timestamptz[]) AS u(key_id, at)
    JOIN api_keys k ON k.id = u.key_id
    ON CONFLICT (key_id) DO UPDATE SET last_used_at = excluded.last_used_at
    WHERE api_key_usage.last_used_at <= excluded.last_used_at - make_interval(secs => ${resolutionMs / 1000}::double precision)`.execute(db)

export const listKeysCreatedBy = (db: Executor, tenantId: string) =>
  db.selectFrom('api_keys').select(['id', 'created_by', 'revoked_at']).where('tenant_id', '=', tenantId).execute()
