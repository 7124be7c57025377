import { etagMatches } from '../../lib/etag.js'
import { sameJson } from '../../lib/same-json.js'
import { scopedToTenant } from '../../store/write-scope.js'
import { closeOpenAllocation, openAllocation } from '../../store/allocations.js'
import { listClusters, lockClusterByName } from '../../store/clusters.js'
import type { ClusterRow, Executor } from '../../store/db.js'
import type { ClusterResources } from './schema.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import { errors } from '../errors.js'
import type { Allocation } from '../billing/schema.js'
import { effectiveAllocation, sumAllocations } from './allocation.js'
import { planOf, type ClusterDeps } from './cluster-service.js'
import { setPhase } from './cluster-status.js'
import { writeClusterStatus } from './cluster-status-writer.js'
import { clusterToApi } from './cluster-view.js'
import { checkResourcePool } from './plan-limits.js'
import { HA_REPLICAS, type Cluster, type ClusterPatch, type ClusterStatus } from './schema.js'
import { observeHighAvailability } from './cluster-ha-status.js'
import { meteredHighAvailability } from './ha-metering.js'
import { versionChangeError } from './version-rules.js'

const MUTABLE = ['version', 'resources', 'alerts', 'highAvailability'] as const
const IMMUTABLE = new Set(['name', 'displayName', 'type'])
const RESOURCE_FIELDS = ['cpu', 'memory', 'storage'] as const

const sameAllocation = (a: Allocation, b: Allocation) =>
  a.cpuMillis === b.cpuMillis && a.memoryBytes === b.memoryBytes && a.storageBytes === b.storageBytes

/** Per-field merge (spec §5.2): a quantity replaces, null clears, omitted stays; `{}` clears all. */
export function mergeResources(current: ClusterResources, patch: NonNullable<ClusterPatch['resources']>): ClusterResources {
  if (Object.keys(patch).length === 0) return {}
  const out: ClusterResources = {}
  for (const f of RESOURCE_FIELDS) {
    const v = f in patch ? patch[f] : current[f]
    if (typeof v === 'string') out[f] = v
  }
  return out
}

/** Body rules checked before any lookup (spec §5.2: IMMUTABLE_FIELD is a body error). */
function checkBody(body: ClusterPatch): void {
  const immutable = Object.keys(body).find((k) => IMMUTABLE.has(k))
  if (immutable) throw errors.immutableField(immutable, `spec.${immutable}`)
  if (!MUTABLE.some((f) => f in body)) throw errors.atLeastOne([...MUTABLE])
}

/**
 * The version, HA and upgrade-in-progress rules, in the spec's order. Enabling HA on an existing
 * cluster is an in-place migration (decision 0020); disabling it stays refused.
 */
function checkTransition(row: ClusterRow, body: ClusterPatch, supported: string[]): void {
  if (body.highAvailability === false && row.high_availability) throw errors.haDisableUnsupported()
  if (body.version === undefined || body.version === row.version) return
  const invalid = versionChangeError(row.version, body.version, supported)
  if (invalid) throw invalid
  if (row.status.phase === 'Upgrading') throw errors.clusterUpgrading()
  if (row.status.phase === 'Migrating') throw errors.clusterMigrating()
}

/** The phase a spec change leads to at once, so the next read already shows it (spec §5.2). */
function nextPhase(s: ClusterStatus, version: string, versionChanged: boolean, haEnabled: boolean, at: Date): void {
  const wasServing = s.phase === 'Running'
  if (s.phase === 'Failed') setPhase(s, 'Provisioning', at) // a spec change retries (§5.2)
  else if (versionChanged && (s.phase === 'Running' || s.phase === 'Degraded')) {
    setPhase(s, 'Upgrading', at, { message: `Upgrading to Kubernetes ${version}` })
  } else if (haEnabled && (s.phase === 'Running' || s.phase === 'Degraded')) setPhase(s, 'Migrating', at)
  // Until the controller counts them: the one replica a Running cluster without HA was serving.
  if (haEnabled) observeHighAvailability(s, true, { ready: wasServing ? 1 : 0, desired: HA_REPLICAS }, at)
}

/**
 * PATCH /tenants/{tenant}/clusters/{name} (spec §5.2). One transaction: rules, then the row with
 * generation + 1 when version, resources, alerts or high availability change, and the metering interval moved at
 * the same instant when the effective allocation changes. A PATCH that changes nothing writes
 * nothing and keeps the resourceVersion.
 */
export async function patchCluster(
  deps: ClusterDeps, ctx: TenantContext, name: string, body: ClusterPatch, ifMatch: string | undefined,
): Promise<Cluster> {
  checkBody(body)
  // `"version": ""` counts as a field sent (so it alone is a no-op, not 400) and means unchanged.
  const patch: ClusterPatch = body.version === '' ? { ...body, version: undefined } : body
  const supported = deps.provider.versions()
  const defaults = deps.config.defaultAllocation
  const now = deps.clock.now()
  const outcome = await scopedToTenant(deps.db, ctx.tenant.id).transaction().execute(async (trx) => {
    // Tenant first, then cluster: the lock order of every cluster write (no deadlocks).
    const tenant = await lockTenant(trx, ctx.tenant.id)
    const row = await lockClusterByName(trx, tenant.id, name)
    if (!row) throw errors.clusterNotFound()
    if (ifMatch !== undefined && !etagMatches(ifMatch, row.resource_version)) throw errors.etagMismatch()
    if (row.deletion_requested_at) throw errors.clusterDeleting()
    checkTransition(row, patch, supported)
    const version = patch.version ?? row.version
    const resources = patch.resources === undefined ? row.resources : mergeResources(row.resources, patch.resources)
    const alerts = patch.alerts === undefined ? row.alerts : patch.alerts && Object.keys(patch.alerts).length > 0 ? patch.alerts : null
    const versionChanged = version !== row.version
    const haEnabled = patch.highAvailability === true && !row.high_availability
    if (!versionChanged && !haEnabled && sameJson(resources, row.resources) && sameJson(alerts, row.alerts)) {
      return { row, changed: false, phaseChanged: false, allocationChanged: false }
    }

    const before = effectiveAllocation(row.resources, defaults)
    const after = effectiveAllocation(resources, defaults)
    const allocationChanged = !sameAllocation(before, after)
    if (allocationChanged) await checkPool(trx, tenant.plan, row, before, after, defaults)

    const { row: saved, phaseChanged } = await writeClusterStatus(trx, row, {
      spec: {
        version, resources: JSON.stringify(resources), alerts: alerts ? JSON.stringify(alerts) : null, generation: row.generation + 1,
        ...(haEnabled ? { high_availability: true } : {}),
      },
      status: (s, at) => nextPhase(s, version, versionChanged, haEnabled, at),
    }, now)
    if (allocationChanged) {
      // Metering: close the open interval and open the next at the same instant (spec §5.8),
      // keeping the HA flag metering has (it changes when a migration is done, decision 0020).
      const highAvailability = await meteredHighAvailability(trx, row.id, row.high_availability)
      await closeOpenAllocation(trx, row.id, now)
      await openAllocation(trx, { tenantId: row.tenant_id, clusterId: row.id, clusterName: row.name, ...after, highAvailability, startAt: now })
    }
    return { row: saved, changed: true, phaseChanged, allocationChanged }
  })
  if (outcome.changed) deps.signal('clusters', outcome.row.id)
  if (outcome.phaseChanged) deps.signal('secrets', outcome.row.tenant_id)
  if (outcome.allocationChanged) deps.signal('billing', outcome.row.tenant_id)
  return clusterToApi(outcome.row)
}

async function checkPool(
  trx: Executor, planName: string, row: ClusterRow, before: Allocation, after: Allocation, defaults: Required<ClusterResources>,
): Promise<void> {
  const plan = await planOf(trx, planName)
  const others = (await listClusters(trx, row.tenant_id)).filter((c) => c.id !== row.id)
  checkResourcePool(plan, sumAllocations(others.map((c) => effectiveAllocation(c.resources, defaults))), after, before)
}
