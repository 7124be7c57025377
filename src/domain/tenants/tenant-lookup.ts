import type { DomainDeps } from '../deps.js'
import type { TenantRow } from '../../store/db.js'
import type { CachedTable } from '../../store/read-cache.js'
import { findTenantById, findTenantByName } from '../../store/tenants.js'

type Deps = Pick<DomainDeps, 'db' | 'readCache'>

const TABLES: readonly CachedTable[] = ['tenants']

/** The tenant row by id, from the read cache (decision 0008) when it can be. */
export const cachedTenantById = (deps: Deps, id: string): Promise<TenantRow | undefined> =>
  deps.readCache.read(`tenant-row:${id}`, TABLES, () => findTenantById(deps.db, id), id)

/** The tenant row by name (platform admin and kubeOP routes); unknown names are not remembered. */
export const cachedTenantByName = (deps: Deps, name: string): Promise<TenantRow | undefined> =>
  deps.readCache.read(`tenant-name:${name}`, TABLES, () => findTenantByName(deps.db, name), (row) => row.id)
