import type { DomainDeps } from '../deps.js'
import { buildKubeconfig } from '../../kube/kubeconfig.js'
import type { TenantContext } from '../auth/principal.js'
import type { ConnectionDetails } from '../clusters/schema.js'
import { findCluster } from '../../store/clusters.js'
import type { CachedTable } from '../../store/read-cache.js'
import { freezeShared } from '../../lib/shared-value.js'
import { isResourceName } from '../common/names.js'
import { errors } from '../errors.js'
import { DEFAULT_TTL_SECONDS, isServing, issueCredential, lockTenantCluster } from './credential-service.js'
import { toProviderCluster } from '../clusters/provider-cluster-mapper.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'provider' | 'readCache'>

const ACCESS_TABLES: readonly CachedTable[] = ['clusters', 'tenants']

/**
 * What the JSON connection details need of a cluster, from the read cache when it can be
 * (decision 0008): the details are a function of the cluster row (endpoint, CA certificate).
 */
function clusterAccess(deps: Deps, tenantId: string, name: string) {
  return deps.readCache.read(`cluster-access:${tenantId}:${name}`, ACCESS_TABLES, async () => {
    const row = await findCluster(deps.db, tenantId, name)
    // The details are the response itself: shared, so their JSON is computed once.
    return row && { serving: isServing(row), connection: freezeShared(await deps.provider.connection(toProviderCluster(row, deps.provider))) }
  })
}

async function servingConnection(deps: Deps, ctx: TenantContext, name: string): Promise<ConnectionDetails> {
  const access = await clusterAccess(deps, ctx.tenant.id, name)
  if (!access) throw errors.clusterNotFound()
  if (!access.serving) throw errors.clusterNotReady()
  return access.connection
}

/**
 * GET …/clusters/{name}/connection-details, the Kupe CLI's name for the JSON form of
 * …/kubeconfig (decision 0019): the same body and the same errors in the same order.
 */
export async function getConnectionDetails(deps: Deps, ctx: TenantContext, name: string): Promise<ConnectionDetails> {
  if (!isResourceName(name)) throw errors.invalidName()
  return servingConnection(deps, ctx, name)
}

export type Connection =
  | { format: 'json'; details: ConnectionDetails }
  | { format: 'yaml'; kubeconfig: string; credentialId: string }

/**
 * GET …/clusters/{name}/kubeconfig (spec §5.3). JSON: endpoint and CA only. YAML: a complete
 * kubeconfig embedding a new 8-hour credential of the caller's role, so it counts as a write
 * for suspension — checked here, in §1.9 order (suspension, then name, then format), because
 * the same route also serves the read-only JSON form.
 */
export async function getConnection(deps: Deps, ctx: TenantContext, name: string, format: unknown): Promise<Connection> {
  if (format === 'yaml' && ctx.tenant.phase === 'Suspended') throw errors.tenantSuspended()
  if (format === 'yaml' && ctx.tenant.phase === 'Deleting') throw errors.tenantDeleting()
  if (!isResourceName(name)) throw errors.invalidName()
  if (format !== undefined && format !== 'json' && format !== 'yaml') throw errors.invalidFormat()
  if (format !== 'yaml') return { format: 'json', details: await servingConnection(deps, ctx, name) }
  const now = deps.clock.now()
  const { cluster, issued } = await deps.db.transaction().execute(async (trx) => {
    const cluster = await lockTenantCluster(trx, ctx, name)
    return { cluster, issued: await issueCredential(deps, trx, cluster, ctx.principal, ctx.principal.role, DEFAULT_TTL_SECONDS, now) }
  })
  const details = await deps.provider.connection(toProviderCluster(cluster, deps.provider))
  // Cluster, user and context all carry one name (spec §5.3).
  const entry = `kupe-${ctx.tenant.name}-${cluster.name}`
  const kubeconfig = buildKubeconfig({
    cluster: { name: entry, server: details.endpoint, caData: details.certificateAuthority },
    user: { name: entry, token: issued.token },
    context: entry,
  })
  return { format: 'yaml', kubeconfig, credentialId: issued.row.id }
}
