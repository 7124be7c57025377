import { CoreV1Api } from '@kubernetes/client-node'
import { createHash } from 'node:crypto'
import { ClusterKubeConfig, getWithAccess, isUnreachable, type ClusterAccess } from '../../kube/cluster-client.js'
import type { ProviderCluster } from '../../domain/clusters/schema.js'
import type { Keys } from '../../lib/secrets-crypto.js'
import { ENDPOINT_HOST, hasMaterials, openMaterials } from './cluster-pki.js'
import type { LocalClusterState } from './local-cluster-state.js'

export interface ClusterClient {
  kc: ClusterKubeConfig
  core: CoreV1Api
}

/** The URL the API hands out for a cluster (spec §6.3), fixed by the port chosen at provisioning. */
export const endpointOf = (port: number) => `https://${ENDPOINT_HOST}:${port}`

/**
 * How the provider reaches each cluster's API server: the cluster's CA and Kupe's own client
 * certificate (decrypted from the provider's state), and one pooled client per cluster, rebuilt
 * when the endpoint or certificate changes. A cache, not state: everything can be rebuilt from the row.
 */
export class ClusterConnections {
  private readonly clients = new Map<string, ClusterClient & { fingerprint: string }>()
  private readonly known = new Map<string, ClusterAccess>()

  constructor(private readonly keys: Keys) {}

  access(cluster: ProviderCluster<LocalClusterState>): ClusterAccess {
    if (!hasMaterials(cluster)) throw new Error('the cluster has no certificates yet')
    const m = openMaterials(this.keys, cluster)
    const access = { server: endpointOf(cluster.state.port), caPem: m.caPem, certPem: m.adminCertPem, keyPem: m.adminKeyPem }
    this.known.set(cluster.id, access)
    return access
  }

  /** The access last used for a cluster (readiness watches run without the row at hand). */
  remembered(clusterId: string): ClusterAccess | undefined {
    return this.known.get(clusterId)
  }

  client(cluster: ProviderCluster<LocalClusterState>): ClusterClient {
    const fingerprint = createHash('sha256').update(`${cluster.state.port}\n${cluster.state.adminCertPem}`).digest('hex')
    const cached = this.clients.get(cluster.id)
    if (cached?.fingerprint === fingerprint) return cached
    cached?.kc.close()
    const kc = new ClusterKubeConfig(this.access(cluster), `kupe-${cluster.id}`)
    const client = { fingerprint, kc, core: kc.makeApiClient(CoreV1Api) }
    this.clients.set(cluster.id, client)
    return client
  }

  forget(clusterId: string): void {
    this.clients.get(clusterId)?.kc.close()
    this.clients.delete(clusterId)
    this.known.delete(clusterId)
  }

  closeAll(): void {
    for (const id of [...this.clients.keys()]) this.forget(id)
  }
}

export type Readiness = { ok: true } | { ok: false; reason: string }

/** `/readyz` through the endpoint handed out, verified with the cluster's CA. */
export async function probeReady(access: ClusterAccess): Promise<Readiness> {
  try {
    const r = await getWithAccess(access, '/readyz')
    return r.status === 200 ? { ok: true } : { ok: false, reason: `/readyz answered ${r.status}` }
  } catch (err) {
    return { ok: false, reason: isUnreachable(err) ? 'not answering' : err instanceof Error ? err.message : String(err) }
  }
}

/** The release the API server reports, `v1.37.2`. */
export async function gitVersionOf(access: ClusterAccess): Promise<string | undefined> {
  const r = await getWithAccess(access, '/version')
  if (r.status !== 200) return undefined
  return (JSON.parse(r.body) as { gitVersion?: string }).gitVersion
}

/** Whether the controller manager has filled in the aggregated `view` role yet. */
export async function rolesAggregated(access: ClusterAccess): Promise<boolean> {
  const r = await getWithAccess(access, '/apis/rbac.authorization.k8s.io/v1/clusterroles/view')
  return r.status === 200 && ((JSON.parse(r.body) as { rules?: unknown[] }).rules ?? []).length > 0
}
