import type { DomainDeps } from '../deps.js'
import { freezeShared, sharedSlot } from '../../lib/shared-value.js'
import { toRfc3339 } from '../../lib/time.js'
import { openVault } from '../../vault/registry.js'
import type { VaultData } from '../../vault/types.js'
import type { TenantContext } from '../auth/principal.js'
import { isVaultPrefix } from '../common/names.js'
import { decodeContinue, fetchSize, stringKey, toPage, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { VaultEntry, VaultValue, VaultVersions, VaultWrite, VaultWriteResult } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'keys' | 'clock' | 'signal'>

const MAX_PATHS = 1000
const KEEP_VERSIONS = 10
const MAX_VALUE_BYTES = 1024 * 1024
const MAX_VERSION = 2 ** 31 - 1

/** The 1 MiB cap on keys and values together (keys and value types are checked by the schema). */
function checkData(data: VaultData): void {
  let bytes = 0
  for (const [key, value] of Object.entries(data)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value)
  if (bytes > MAX_VALUE_BYTES) throw errors.vaultValueTooLarge()
}

/** `?version`: a positive integer (spec §5.5), checked before any lookup. */
function parseVersion(raw: unknown): number | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^[1-9][0-9]*$/.test(raw)) throw errors.invalidVersion()
  return Number(raw)
}

/** PUT /tenants/{tenant}/vault/{path}: a new version, then every secret reading the path resyncs. */
export async function writeVaultValue(deps: Deps, ctx: TenantContext, path: string, body: VaultWrite): Promise<VaultWriteResult> {
  checkData(body.data)
  const result = await openVault(deps).put(ctx.tenant.id, path, body.data, {
    now: deps.clock.now(), maxPaths: MAX_PATHS, keepVersions: KEEP_VERSIONS,
  })
  if (!result.ok) throw errors.limitExceeded('vault paths per tenant', MAX_PATHS)
  deps.signal('secrets', ctx.tenant.id)
  return { path, version: result.version, createdAt: toRfc3339(result.createdAt) }
}

/** GET /tenants/{tenant}/vault/{path}: the latest or a kept version. */
export async function readVaultValue(deps: Deps, ctx: TenantContext, path: string, query: { version?: unknown }): Promise<VaultValue> {
  const version = parseVersion(query.version)
  if (version !== undefined && version > MAX_VERSION) {
    if (!(await openVault(deps).heads(ctx.tenant.id, [path])).has(path)) throw errors.vaultEntryNotFound()
    throw errors.vaultVersionNotFound()
  }
  const read = await openVault(deps).read(ctx.tenant.id, path, version)
  if (read.kind === 'no-entry') throw errors.vaultEntryNotFound()
  if (read.kind === 'no-version') throw errors.vaultVersionNotFound()
  const { value } = read
  const known = values.get(value)
  if (known) return known
  const view: VaultValue = { path, version: value.version, data: value.data, createdAt: toRfc3339(value.createdAt) }
  // A value the read cache holds is frozen and lives until a write drops it: its response is
  // built (and its JSON written) once, like the cached lists'.
  if (Object.isFrozen(value)) values.set(value, freezeShared(view))
  return view
}

const values = sharedSlot<VaultValue>('vault value view')

/** GET /tenants/{tenant}/vault-versions/{path}: which versions are kept and when each was written; no value. */
export async function listVaultVersions(deps: Deps, ctx: TenantContext, path: string): Promise<VaultVersions> {
  const versions = await openVault(deps).versions(ctx.tenant.id, path)
  if (versions.length === 0) throw errors.vaultEntryNotFound()
  return { path, currentVersion: versions[0]!.version, versions: versions.map((v) => ({ version: v.version, createdAt: toRfc3339(v.createdAt) })) }
}

/** GET /tenants/{tenant}/vault: metadata only, by path, optionally under a prefix. */
export async function listVaultPaths(deps: Deps, ctx: TenantContext, query: { prefix?: unknown }, page: Page): Promise<ListResult<VaultEntry>> {
  const prefix = query.prefix
  if (prefix !== undefined && (typeof prefix !== 'string' || !isVaultPrefix(prefix))) throw errors.invalidVaultPrefix()
  // A token is valid only for the list and prefix that issued it (§1.4).
  const list = `vault:${ctx.tenant.name}:${prefix ?? ''}`
  const after = stringKey(decodeContinue(page, list))
  const rows = await openVault(deps).list(ctx.tenant.id, { prefix, after, limit: fetchSize(page) })
  const known = wholeLists.get(rows)
  if (known) return known
  const result = toPage(rows, page, list, (r) => [r.path], (r) => ({ path: r.path, version: r.version, updatedAt: toRfc3339(r.updatedAt) }))
  // A frozen list is one the backend keeps (decision 0008) and hands out again until a write:
  // its response is built, and its JSON computed, once.
  if (Object.isFrozen(rows) && result.continue === undefined) wholeLists.set(rows, freezeShared(result))
  return result
}

/** Responses of whole path lists the backend keeps, by the list they were made from. */
const wholeLists = sharedSlot<ListResult<VaultEntry>>('vault path list')

/** DELETE /tenants/{tenant}/vault/{path}: every version is destroyed; secrets on it turn Failed. */
export async function deleteVaultPath(deps: Deps, ctx: TenantContext, path: string): Promise<void> {
  if (!(await openVault(deps).delete(ctx.tenant.id, path))) throw errors.vaultEntryNotFound()
  deps.signal('secrets', ctx.tenant.id)
}
