import type { Db } from '../store/db.js'
import type { Keys } from '../lib/secrets-crypto.js'
import type { ReadCache } from '../store/read-cache.js'

/**
 * A tenant vault backend (STYLE.md rule 13): versioned key/value entries per tenant, modelled on
 * KV version 2 (spec §5.5). Values are plain string maps; a backend keeps them encrypted at rest
 * and never logs them. Every implementation passes `describeVaultBackend` (vault-conformance.ts).
 */
export type VaultData = Record<string, string>

/** Metadata of a path: its latest version and when that version was written. */
export interface VaultEntryMeta {
  path: string
  version: number
  updatedAt: Date
}

/**
 * The latest version of a path without its value. `revision` is opaque and differs for every
 * write, even when a deleted path starts again at version 1: sync targets compare it to know
 * whether what they hold is current without decrypting anything.
 */
export interface VaultHead extends VaultEntryMeta {
  revision: string
}

export interface VaultValue {
  path: string
  version: number
  revision: string
  data: VaultData
  createdAt: Date
}

/** One kept version of a path, without its value. */
export interface VaultVersionMeta {
  version: number
  createdAt: Date
}

export interface VaultPutOptions {
  now: Date
  /** A write that would create a new path when the tenant already has this many is refused. */
  maxPaths: number
  /** Versions kept per path, newest first; older ones are destroyed. */
  keepVersions: number
}

export type VaultPutResult =
  | { ok: true; version: number; createdAt: Date }
  | { ok: false; reason: 'path-limit' }

export type VaultRead =
  | { kind: 'value'; value: VaultValue }
  | { kind: 'no-entry' }
  | { kind: 'no-version' }

export interface VaultListOptions {
  /** Plain string prefix of the path. */
  prefix?: string
  /** Only paths after this one (byte order). */
  after?: string
  limit?: number
}

export interface VaultBackend {
  readonly name: string
  /** Writes a new version (1 for a new path, else latest + 1), atomically. */
  put(tenantId: string, path: string, data: VaultData, opts: VaultPutOptions): Promise<VaultPutResult>
  /** The latest version, or the one asked for. */
  read(tenantId: string, path: string, version?: number): Promise<VaultRead>
  /** Latest versions of many paths at once, without values; paths with no entry are absent. */
  heads(tenantId: string, paths: string[]): Promise<Map<string, VaultHead>>
  /** The kept versions of a path, newest first, without values; empty when the path does not exist. */
  versions(tenantId: string, path: string): Promise<VaultVersionMeta[]>
  /** Paths in byte order of `path`. */
  list(tenantId: string, opts: VaultListOptions): Promise<VaultEntryMeta[]>
  /** Destroys every version of a path; false when it did not exist. */
  delete(tenantId: string, path: string): Promise<boolean>
}

export interface VaultDeps {
  db: Db
  keys: Keys
  /** Where a backend whose data is in `db` may keep what it read (decision 0008); never values. */
  readCache?: ReadCache
}

export type VaultFactory = (deps: VaultDeps) => VaultBackend
