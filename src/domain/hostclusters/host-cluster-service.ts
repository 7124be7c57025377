import { randomUUID } from 'node:crypto'
import { HostKubeconfigError, parseHostKubeconfig, probeHostCluster } from '../../kube/host-cluster-access.js'
import { nextResourceVersion } from '../../store/connect.js'
import {
  countTenantsByHostCluster,
  deleteHostCluster,
  findHostCluster,
  findHostClusterByName,
  insertHostCluster,
  listHostClusters,
  lockHostCluster,
  updateHostCluster,
} from '../../store/host-clusters.js'
import type { DomainDeps } from '../deps.js'
import { errors } from '../errors.js'
import { recordEvent } from '../events/outbox.js'
import { hostKubeConfig, kubeconfigAad } from './host-cluster-access.js'
import { healthOf, hostClusterToApi } from './host-cluster-view.js'
import type { HostCluster, HostClusterRegister } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'config' | 'signal'>

/** A value that is a file path rather than a kubeconfig: one line, no YAML or JSON structure. */
const looksLikePath = (v: string) => !/[\n:{]/.test(v.trim()) && /^(~|\.{0,2}\/)/.test(v.trim())

/**
 * POST /v1/clusters (seed 004): the kubeconfig is parsed and the cluster checked (/readyz,
 * /version, nodes) before anything is stored; it is kept encrypted under the master key.
 */
export async function registerHostCluster(deps: Deps, body: HostClusterRegister): Promise<HostCluster> {
  if (looksLikePath(body.kubeconfig)) throw errors.kubeconfigIsPath()
  let kc
  try {
    kc = parseHostKubeconfig(body.kubeconfig)
  } catch (err) {
    if (err instanceof HostKubeconfigError) throw errors.kubeconfigInvalid(err.message)
    throw err
  }
  if (await findHostClusterByName(deps.db, body.name)) throw errors.hostClusterExists()
  const probe = await probeHostCluster(kc)
  if (!probe.ready) throw errors.hostClusterUnreachable(probe.message)
  const id = randomUUID()
  const now = deps.clock.now()
  const row = await deps.db.transaction().execute(async (trx) => {
    if (await findHostClusterByName(trx, body.name)) throw errors.hostClusterExists()
    const inserted = await insertHostCluster(trx, {
      id, name: body.name, server: kc.getCurrentCluster()!.server,
      kubeconfig_enc: deps.keys.encrypt(kc.exportConfig(), kubeconfigAad(id)),
      operator: body.autoBootstrap === false ? 'external' : 'in-process',
      health: JSON.stringify(healthOf(probe, undefined, now)),
      resource_version: await nextResourceVersion(trx), created_at: now,
    })
    await recordEvent(deps, trx, 'cluster.registered', { cluster_id: id, name: body.name })
    return inserted
  })
  deps.signal('host-clusters')
  return hostClusterToApi(row, 0)
}

export async function listAllHostClusters(deps: Pick<DomainDeps, 'db'>): Promise<HostCluster[]> {
  const [rows, tenants] = await Promise.all([listHostClusters(deps.db), countTenantsByHostCluster(deps.db)])
  return rows.map((r) => hostClusterToApi(r, tenants.get(r.id) ?? 0))
}

/** GET /v1/clusters/{id}: checked live, and what it saw is kept as the cluster's health. */
export async function getHostCluster(deps: Deps, id: string): Promise<HostCluster> {
  const row = await findHostCluster(deps.db, id)
  if (!row) throw errors.hostClusterNotFound()
  const checked = await checkHostCluster(deps, id)
  const tenants = (await countTenantsByHostCluster(deps.db)).get(id) ?? 0
  return hostClusterToApi(checked ?? row, tenants)
}

/**
 * Probes one host cluster and saves its health; a flip to Ready announces `cluster.ready`.
 * Returns the saved row (undefined when it was deleted meanwhile).
 */
export async function checkHostCluster(deps: Deps, id: string) {
  const row = await findHostCluster(deps.db, id)
  if (!row) return undefined
  const probe = await probeHostCluster(hostKubeConfig(deps.keys, row))
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockHostCluster(trx, id)
    if (!locked) return undefined
    const health = healthOf(probe, locked.health, now)
    const becameReady = health.phase === 'Ready' && locked.health.phase !== 'Ready'
    if (becameReady) await recordEvent(deps, trx, 'cluster.ready', { cluster_id: id, name: locked.name, ready: true })
    return updateHostCluster(trx, id, { health: JSON.stringify(health) })
  })
}

/** DELETE /v1/clusters/{id}: refused (409) while any tenant is placed on it. */
export async function removeHostCluster(deps: Deps, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockHostCluster(trx, id)
    if (!row) throw errors.hostClusterNotFound()
    const tenants = (await countTenantsByHostCluster(trx)).get(id) ?? 0
    if (tenants > 0) throw errors.hostClusterInUse(tenants)
    await deleteHostCluster(trx, id)
    await recordEvent(deps, trx, 'cluster.deleted', { cluster_id: id, name: row.name })
  })
  deps.signal('host-clusters')
}
