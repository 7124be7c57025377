import { sql } from 'kysely'
import type { Executor } from './db.js'
import { byteOrder } from './byte-order.js'

export const findVaultEntry = (db: Executor, tenantId: string, path: string) =>
  db.selectFrom('vault_entries').selectAll().where('tenant_id', '=', tenantId).where('path', '=', path).executeTakeFirst()

export const lockVaultEntry = (db: Executor, tenantId: string, path: string) =>
  db.selectFrom('vault_entries').selectAll().where('tenant_id', '=', tenantId).where('path', '=', path).forUpdate().executeTakeFirst()

export async function countVaultEntries(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('vault_entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export const insertVaultEntry = (db: Executor, tenantId: string, path: string, version: number, at: Date) =>
  db.insertInto('vault_entries').values({ tenant_id: tenantId, path, version, updated_at: at }).execute()

export const updateVaultEntry = (db: Executor, tenantId: string, path: string, version: number, at: Date) =>
  db.updateTable('vault_entries').set({ version, updated_at: at }).where('tenant_id', '=', tenantId).where('path', '=', path).execute()

export const insertVaultVersion = (db: Executor, tenantId: string, path: string, version: number, ciphertext: string, at: Date) =>
  db.insertInto('vault_versions').values({ tenant_id: tenantId, path, version, ciphertext, created_at: at }).execute()

export const findVaultVersion = (db: Executor, tenantId: string, path: string, version: number) =>
  db
    .selectFrom('vault_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('path', '=', path)
    .where('version', '=', version)
    .executeTakeFirst()

/**
 * Latest version of each path with the first `prefixChars` of its ciphertext (enough to tell
 * writes apart without reading whole values).
 */
export const findVaultHeads = (db: Executor, tenantId: string, paths: string[], prefixChars: number) =>
  db
    .selectFrom('vault_entries as e')
    .innerJoin('vault_versions as v', (join) =>
      join.onRef('v.tenant_id', '=', 'e.tenant_id').onRef('v.path', '=', 'e.path').onRef('v.version', '=', 'e.version'),
    )
    .select(['e.path', 'e.version', 'e.updated_at', sql<string>`left(v.ciphertext, ${prefixChars})`.as('ciphertext_prefix')])
    .where('e.tenant_id', '=', tenantId)
    .where('e.path', 'in', paths)
    .execute()

/** Destroys the versions of a path older than `oldestKept`. */
export const pruneVaultVersions = (db: Executor, tenantId: string, path: string, oldestKept: number) =>
  db.deleteFrom('vault_versions').where('tenant_id', '=', tenantId).where('path', '=', path).where('version', '<', oldestKept).execute()

export const listVaultEntries = (db: Executor, tenantId: string, opts: { prefix?: string; after?: string; limit?: number }) => {
  let q = db.selectFrom('vault_entries').selectAll().where('tenant_id', '=', tenantId).orderBy(byteOrder('path'))
  // starts_with, not LIKE: `_` is a wildcard there and a plain character in vault paths.
  if (opts.prefix) q = q.where(sql<boolean>`starts_with(path, ${opts.prefix})`)
  if (opts.after !== undefined) q = q.where(byteOrder('path'), '>', opts.after)
  if (opts.limit !== undefined) q = q.limit(opts.limit)
  return q.execute()
}

/** Deletes the entry; its versions go with it (ON DELETE CASCADE). Returns whether it existed. */
export async function deleteVaultEntry(db: Executor, tenantId: string, path: string): Promise<boolean> {
  const r = await db.deleteFrom('vault_entries').where('tenant_id', '=', tenantId).where('path', '=', path).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** The kept versions of a path, newest first: numbers and write times only, never ciphertext. */
export const listVaultVersions = (db: Executor, tenantId: string, path: string) =>
  db
    .selectFrom('vault_versions')
    .select(['version', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('path', '=', path)
    .orderBy('version', 'desc')
    .execute()
