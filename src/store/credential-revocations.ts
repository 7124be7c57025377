import type { Role } from '../domain/common/schema.js'
import type { Executor } from './db.js'

/**
 * Revokes the live cluster credentials a person created, directly (`creator_email`) or through
 * any of the given API keys (spec §5.3, §5.6), or, without an email, those the keys created
 * (a revoked key, §5.7). `role` narrows it to credentials of that role (a demotion only takes
 * away what the person may no longer hold).
 */
export async function revokeCredentialsCreatedBy(
  db: Executor,
  tenantId: string,
  creator: { email?: string; keyIds: string[] },
  at: Date,
  role?: Role,
): Promise<number> {
  let q = db
    .updateTable('cluster_credentials')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(creator.email !== undefined ? [eb('creator_email', '=', creator.email)] : []),
        ...(creator.keyIds.length > 0 ? [eb('creator_key_id', 'in', creator.keyIds)] : []),
      ]),
    )
  if (role !== undefined) q = q.where('role', '=', role)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}
