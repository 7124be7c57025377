import type { DomainDeps } from '../deps.js'
import { toRfc3339, truncateToSecond } from '../../lib/time.js'
import { lockClusterByName } from '../../store/clusters.js'
import {
  countLiveCredentials, findCredential, insertCredential, listLiveCredentials, revokeCredential,
} from '../../store/credentials.js'
import type { ClusterRow, CredentialRow, Executor } from '../../store/db.js'
import { buildToken, newTokenId } from '../apikeys/token-format.js'
import type { TenantContext, TenantPrincipal } from '../auth/principal.js'
import type { Role } from '../common/schema.js'
import { SERVING_PHASES } from '../clusters/cluster-status.js'
import { findTenantCluster } from '../clusters/cluster-service.js'
import { findCluster } from '../../store/clusters.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterCreatedAt, cachedList, pageOf } from '../common/cached-page.js'
import { createdCursor, createdKeyOf, decodeContinue, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { Credential, CredentialCreate, CredentialCreated } from './schema.js'
import { toProviderCluster } from '../clusters/provider-cluster-mapper.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'provider'>

const MAX_LIVE_PER_CLUSTER = 1000
export const DEFAULT_TTL_SECONDS = 28_800

export function credentialToApi(row: CredentialRow): Credential {
  return {
    id: row.id,
    role: row.role,
    createdBy: row.created_by,
    createdAt: toRfc3339(row.created_at),
    expiresAt: toRfc3339(row.expires_at),
  }
}

export interface IssuedCredential {
  row: CredentialRow
  token: string
}

/**
 * Issues a credential on a cluster locked by the caller: the live-credential cap, then
 * readiness (spec §1.9: business rules before 503), then a `kupec_` token stored only as an
 * HMAC. It never outlives the API key that created it.
 */
export async function issueCredential(
  deps: Pick<DomainDeps, 'keys'>, trx: Executor, cluster: ClusterRow, principal: TenantPrincipal, role: Role, ttlSeconds: number, now: Date,
): Promise<IssuedCredential> {
  if ((await countLiveCredentials(trx, cluster.id, now)) >= MAX_LIVE_PER_CLUSTER) {
    throw errors.limitExceeded('live credentials per cluster', MAX_LIVE_PER_CLUSTER)
  }
  if (!isServing(cluster)) throw errors.clusterNotReady()
  // Whole seconds, as shown: the list is ordered by the createdAt clients see, then id (§1.4).
  const createdAt = truncateToSecond(now)
  let expiresAt = new Date(createdAt.getTime() + ttlSeconds * 1000)
  if (principal.expiresAt && principal.expiresAt.getTime() < expiresAt.getTime()) expiresAt = principal.expiresAt
  for (;;) {
    const hex = newTokenId()
    if (await findCredential(trx, `cc-${hex}`)) continue // 1 in 4 billion; retry rather than fail
    const token = buildToken('kupec', hex)
    const row = await insertCredential(trx, {
      id: `cc-${hex}`, tenant_id: cluster.tenant_id, cluster_id: cluster.id, role, created_by: principal.id,
      created_at: createdAt, expires_at: expiresAt, revoked_at: null, token_hmac: deps.keys.hmac(token),
      creator_key_id: principal.kind === 'apikey' ? principal.keyId : null, creator_email: principal.kind === 'member' ? principal.email : null,
    })
    return { row, token }
  }
}

export const isServing = (cluster: ClusterRow) => !cluster.deletion_requested_at && SERVING_PHASES.includes(cluster.status.phase)

/** Locks the named cluster of the tenant (404 when absent) for credential writes. */
export async function lockTenantCluster(trx: Executor, ctx: TenantContext, name: string): Promise<ClusterRow> {
  const row = await lockClusterByName(trx, ctx.tenant.id, name)
  if (!row) throw errors.clusterNotFound()
  return row
}

/** POST …/clusters/{name}/credentials (spec §5.3). */
export async function createClusterCredential(
  deps: Deps, ctx: TenantContext, name: string, body: CredentialCreate | undefined,
): Promise<CredentialCreated> {
  const role = body?.role ?? ctx.principal.role
  if (role === 'admin' && ctx.principal.role !== 'admin') throw errors.adminRequired()
  const now = deps.clock.now()
  const { cluster, issued } = await deps.db.transaction().execute(async (trx) => {
    const cluster = await lockTenantCluster(trx, ctx, name)
    const issued = await issueCredential(deps, trx, cluster, ctx.principal, role, body?.ttlSeconds ?? DEFAULT_TTL_SECONDS, now)
    return { cluster, issued }
  })
  const connection = await deps.provider.connection(toProviderCluster(cluster, deps.provider))
  return { ...credentialToApi(issued.row), ...connection, token: issued.token }
}

const LIST_TABLES: readonly CachedTable[] = ['cluster_credentials', 'clusters', 'tenants']

/**
 * GET …/clusters/{name}/credentials: live credentials only, never a token. The whole list comes
 * from the read cache when it can be (decision 0008) and is kept until its first credential expires.
 */
export async function listClusterCredentials(
  deps: Pick<DomainDeps, 'db' | 'clock' | 'readCache'>, ctx: TenantContext, name: string, page: Page,
): Promise<ListResult<Credential>> {
  const list = `credentials:${ctx.tenant.name}/${name}`
  const cursor = createdCursor(decodeContinue(page, list)) // query parameters before existence (§1.9)
  const tenantId = ctx.tenant.id
  const now = deps.clock.now()
  const all = await deps.readCache.readTimed(`credential-list:${tenantId}:${name}`, LIST_TABLES, now.getTime(), async () => {
    const cluster = await findCluster(deps.db, tenantId, name)
    if (!cluster) return undefined
    const rows = await listLiveCredentials(deps.db, cluster.id, now)
    const until = Math.min(Number.POSITIVE_INFINITY, ...rows.map((r) => r.expires_at.getTime()))
    return { value: cachedList(rows, createdKeyOf, credentialToApi), until }
  })
  if (!all) throw errors.clusterNotFound()
  return pageOf(all, page, list, cursor && afterCreatedAt(cursor))
}

/** DELETE …/credentials/{id}: admin any, readonly only its own; allowed while suspended. */
export async function revokeClusterCredential(deps: Deps, ctx: TenantContext, name: string, id: string): Promise<void> {
  const cluster = await findTenantCluster(deps.db, ctx, name)
  const now = deps.clock.now()
  const row = await findCredential(deps.db, id)
  if (!row || row.cluster_id !== cluster.id || row.revoked_at || row.expires_at.getTime() <= now.getTime()) {
    throw errors.credentialNotFound()
  }
  if (ctx.principal.role !== 'admin' && row.created_by !== ctx.principal.id) throw errors.adminRequired()
  await revokeCredential(deps.db, id, now)
}
