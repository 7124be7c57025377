import { createHash } from 'node:crypto'
import { lockTenant } from '../../store/tenants.js'
import {
  countVaultEntries,
  deleteVaultEntry,
  findVaultEntry,
  findVaultHeads,
  findVaultVersion,
  insertVaultEntry,
  insertVaultVersion,
  listVaultEntries,
  listVaultVersions,
  lockVaultEntry,
  pruneVaultVersions,
  updateVaultEntry,
} from '../../store/vault.js'
import type { CachedTable } from '../../store/read-cache.js'
import type { VaultBackend, VaultData, VaultFactory, VaultHead, VaultValue } from '../types.js'

/**
 * Binds a ciphertext to its tenant, path and version: a row copied to another tenant, path or
 * version fails authentication instead of decrypting (AES-256-GCM additional data).
 */
function aadOf(tenantId: string, path: string, version: number): string {
  return `kupe/vault/v1\n${tenantId}\n${path}\n${version}`
}

/**
 * `v1.` and the base64 of the 12-byte random IV: different for every write, and nothing of the
 * value. The revision hashes only this prefix so heads never read whole values.
 */
const REVISION_PREFIX_CHARS = 19

function revisionOf(ciphertext: string): string {
  return createHash('sha256').update(ciphertext.slice(0, REVISION_PREFIX_CHARS)).digest('base64url').slice(0, 22)
}

const VALUE_TABLES: readonly CachedTable[] = ['vault_entries', 'vault_versions', 'tenants']
const LIST_TABLES: readonly CachedTable[] = ['vault_entries', 'tenants']

/**
 * The builtin backend: every version encrypted in the database, like KV version 2. With a read
 * cache, a version read is kept decrypted until a write to its path (or its tenant) drops it:
 * the key that decrypts it lives in this same process, so holding the value adds nothing to what
 * a reader of the process's memory could learn (docs/decisions/0037-vault-values-cached-decrypted.md).
 */
export const createBuiltinVault: VaultFactory = ({ db, keys, readCache }) => {
  const decryptData = (tenantId: string, path: string, version: number, ciphertext: string): VaultData =>
    JSON.parse(keys.decrypt(ciphertext, aadOf(tenantId, path, version))) as VaultData
  const cached = <T extends object>(key: string, tables: readonly CachedTable[], load: () => Promise<T | undefined>) =>
    readCache ? readCache.read(key, tables, load) : load()

  /** The stored version asked for (the latest when none is), decrypted; undefined when there is none. */
  const storedValue = (tenantId: string, path: string, version: number | undefined) =>
    cached(`vault:${tenantId}:${version ?? 'latest'}:${path}`, VALUE_TABLES, async (): Promise<VaultValue | undefined> => {
      const entry = await findVaultEntry(db, tenantId, path)
      const row = entry && (await findVaultVersion(db, tenantId, path, version ?? entry.version))
      return row && {
        path, version: row.version, revision: revisionOf(row.ciphertext), data: decryptData(tenantId, path, row.version, row.ciphertext), createdAt: row.created_at,
      }
    })

  const backend: VaultBackend = {
    name: 'builtin',

    put: (tenantId, path, data, opts) =>
      db.transaction().execute(async (trx) => {
        // The tenant row serialises writes that might add a path, so the path limit holds.
        await lockTenant(trx, tenantId)
        const entry = await lockVaultEntry(trx, tenantId, path)
        const version = entry ? entry.version + 1 : 1
        if (!entry) {
          if ((await countVaultEntries(trx, tenantId)) >= opts.maxPaths) return { ok: false, reason: 'path-limit' } as const
          await insertVaultEntry(trx, tenantId, path, version, opts.now)
        } else {
          await updateVaultEntry(trx, tenantId, path, version, opts.now)
        }
        const ciphertext = keys.encrypt(JSON.stringify(data), aadOf(tenantId, path, version))
        await insertVaultVersion(trx, tenantId, path, version, ciphertext, opts.now)
        await pruneVaultVersions(trx, tenantId, path, version - opts.keepVersions + 1)
        return { ok: true, version, createdAt: opts.now } as const
      }),

    async read(tenantId, path, version) {
      const value = await storedValue(tenantId, path, version)
      if (!value) {
        // A path that exists always has its latest version, so only an older one can be missing.
        if (version === undefined || !(await findVaultEntry(db, tenantId, path))) return { kind: 'no-entry' }
        return { kind: 'no-version' }
      }
      return { kind: 'value', value }
    },

    async heads(tenantId, paths) {
      const heads = new Map<string, VaultHead>()
      if (paths.length === 0) return heads
      for (const r of await findVaultHeads(db, tenantId, [...new Set(paths)], REVISION_PREFIX_CHARS)) {
        heads.set(r.path, { path: r.path, version: r.version, updatedAt: r.updated_at, revision: revisionOf(r.ciphertext_prefix) })
      }
      return heads
    },

    async list(tenantId, opts) {
      if (!readCache) {
        const rows = await listVaultEntries(db, tenantId, opts)
        return rows.map((r) => ({ path: r.path, version: r.version, updatedAt: r.updated_at }))
      }
      // The whole list is kept (metadata only) and cut here as listVaultEntries would.
      const all = await readCache.read(`vault-list:${tenantId}`, LIST_TABLES, async () =>
        (await listVaultEntries(db, tenantId, {})).map((r) => ({ path: r.path, version: r.version, updatedAt: r.updated_at })))
      const { prefix, after, limit } = opts
      if (!prefix && after === undefined && limit === undefined) return all! // the kept list itself, frozen
      const rows = all!.filter((r) =>
        (!prefix || r.path.startsWith(prefix)) && (after === undefined || Buffer.compare(Buffer.from(r.path), Buffer.from(after)) > 0))
      return limit === undefined ? rows : rows.slice(0, limit)
    },

    async versions(tenantId, path) {
      return (await listVaultVersions(db, tenantId, path)).map((r) => ({ version: r.version, createdAt: r.created_at }))
    },

    delete: (tenantId, path) => deleteVaultEntry(db, tenantId, path),
  }
  return backend
}
