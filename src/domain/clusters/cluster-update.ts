import { etagMatches } from '../../lib/etag.js'
import { sameJson } from '../../lib/same-json.js'
import { withWriteScope } from '../../store/write-scope.js'
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
import type { Cluster, ClusterPatch } from './schema.js'
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

/** The version, HA and upgrade-in-progress rules, in the spec's order. */
function checkTransition(row: ClusterRow, body: ClusterPatch, supported: string[]): void {
  if (body.highAvailability !== undefined && body.highAvailability !== row.high_availability) {
    throw body.highAvailability ? errors.haEnableUnsupported() : errors.haDisableUnsupported()
  }
  if (body.version === undefined || body.version === row.version) return
  const invalid = versionChangeError(row.version, body.version, supported)
  if (invalid) throw invalid
  if (row.status.phase === 'Upgrading') throw errors.clusterUpgrading()
}

/**
 * PATCH /tenants/{tenant}/clusters/{name} (spec §5.2). One transaction: rules, then the row with
 * generation + 1 when version, resources or alerts change, and the metering interval moved at
 * the same instant when the effective allocation changes. A PATCH that changes nothing writes
 * nothing and keeps the resourceVersion.
 */
export async function patchCluster(
  deps: ClusterDeps, ctx: TenantContext, name: string, body: ClusterPatch, ifMatch: string | undefined,
): Promise<Cluster> {
  checkBody(body)
  const supported = deps.provider.versions()
  const defaults = deps.config.defaultAllocation
  const now = deps.clock.now()
  const outcome = await withWriteScope(ctx.tenant.id, () => deps.db.transaction().execute(async (trx) => {
    // Tenant first, then cluster: the lock order of every cluster write (no deadlocks).
    const tenant = await lockTenant(trx, ctx.tenant.id)
    const row = await lockClusterByName(trx, tenant.id, name)
    if (!row) throw errors.clusterNotFound()
    if (ifMatch !== undefined && !etagMatches(ifMatch, row.resource_version)) throw errors.etagMismatch()
    if (row.deletion_requested_at) throw errors.clusterDeleting()
    checkTransition(row, body, supported)
    const version = body.version ?? row.version
    const resources = body.resources === undefined ? row.resources : mergeResources(row.resources, body.resources)
    const alerts = body.alerts === undefined ? row.alerts : body.alerts && Object.keys(body.alerts).length > 0 ? body.alerts : null
    const versionChanged = version !== row.version
    if (!versionChanged && sameJson(resources, row.resources) && sameJson(alerts, row.alerts)) return { row, changed: false, phaseChanged: false, allocationChanged: false }

    const before = effectiveAllocation(row.resources, defaults)
    const after = effectiveAllocation(resources, defaults)
    const allocationChanged = !sameAllocation(before, after)
    if (allocationChanged) await checkPool(trx, tenant.plan, row, before, after, defaults)

    const { row: saved, phaseChanged } = await writeClusterStatus(trx, row, {
      spec: { version, resources: JSON.stringify(resources), alerts: alerts ? JSON.stringify(alerts) : null, generation: row.generation + 1 },
      status: (s, at) => {
        if (s.phase === 'Failed') setPhase(s, 'Provisioning', at) // a spec change retries (§5.2)
        else if (versionChanged && (s.phase === 'Running' || s.phase === 'Degraded')) {
          setPhase(s, 'Upgrading', at, { message: `Upgrading to Kubernetes ${version}` })
        }
      },
    }, now)
    if (allocationChanged) {
      // Metering: close the open interval and open the next at the same instant (spec §5.8).
      await closeOpenAllocation(trx, row.id, now)
      await openAllocation(trx, {
        tenantId: row.tenant_id, clusterId: row.id, clusterName: row.name, ...after,
        highAvailability: row.high_availability, startAt: now,
      })
    }
    return { row: saved, changed: true, phaseChanged, allocationChanged }
  }))
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
