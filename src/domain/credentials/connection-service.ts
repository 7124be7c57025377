import type { DomainDeps } from '../deps.js'
import { buildKubeconfig } from '../../kube/kubeconfig.js'
import type { TenantContext } from '../auth/principal.js'
import type { ConnectionDetails } from '../clusters/schema.js'
import { findTenantCluster } from '../clusters/cluster-service.js'
import { isResourceName } from '../common/names.js'
import { errors } from '../errors.js'
import { DEFAULT_TTL_SECONDS, isServing, issueCredential, lockTenantCluster } from './credential-service.js'
import { toProviderCluster } from '../clusters/provider-cluster-mapper.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'provider'>

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
  if (!isResourceName(name)) throw errors.invalidName()
  if (format !== undefined && format !== 'json' && format !== 'yaml') throw errors.invalidFormat()
  if (format !== 'yaml') {
    const cluster = await findTenantCluster(deps.db, ctx, name)
    if (!isServing(cluster)) throw errors.clusterNotReady()
    return { format: 'json', details: await deps.provider.connection(toProviderCluster(cluster, deps.provider)) }
  }
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
