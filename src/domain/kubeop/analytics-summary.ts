import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import { countEvents } from '../../store/outbox.js'
import { listAllAppSummaries, listAllClusterSummaries, listAllProjectSummaries, listAllSecretSummaries } from '../../store/platform-stats.js'
import { listTenants } from '../../store/tenants.js'
import { registryOf } from '../apps/image-registry.js'
import type { AnalyticsSummary, StatusClassCounts } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'readCache'>

/** What the stored part is computed from (the request counts are this replica's, read live). */
const ANALYTICS_TABLES = ['tenants', 'clusters', 'secrets', 'projects', 'apps', 'outbox_events'] as const

/** API traffic of the last 24 hours, counted by the server's request hook (hourly buckets). */
export interface ApiRequestWindow {
  since: Date
  counts: StatusClassCounts
}

function countBy<T>(rows: T[], key: (r: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1
  return out
}

/**
 * GET /v1/analytics/summary (seed 004: "delivery and registry analytics"): tenants, clusters,
 * secrets, projects and apps by phase, apps by registry, rollouts and hook outcomes, outbound
 * events and API traffic — all counted from what exists, nothing constant.
 */
export async function analyticsSummary(deps: Deps, requests: ApiRequestWindow): Promise<AnalyticsSummary> {
  const stored = (await deps.readCache.read('kubeop:analytics', ANALYTICS_TABLES, () => storedAnalytics(deps)))!
  return {
    ...stored,
    api_requests: {
      window_hours: 24,
      since: toRfc3339(requests.since),
      total: Object.values(requests.counts).reduce((a, b) => a + b, 0),
      by_status_class: requests.counts,
    },
  }
}

async function storedAnalytics(deps: Deps): Promise<Omit<AnalyticsSummary, 'api_requests'>> {
  const [tenants, clusters, secrets, projects, apps, events] = await Promise.all([
    listTenants(deps.db, undefined, undefined),
    listAllClusterSummaries(deps.db),
    listAllSecretSummaries(deps.db),
    listAllProjectSummaries(deps.db),
    listAllAppSummaries(deps.db),
    countEvents(deps.db),
  ])
  const secretPhases = countBy(secrets, (s) => s.status.phase)
  const hooks = apps.flatMap((a) => a.status.hooks.filter((h) => h.revision === a.status.revision || a.status.revision === undefined))
  const hookResults = countBy(hooks, (h) => h.result)
  const phaseOf = (r: { status: { phase: string }; deletion_requested_at: Date | null }) => (r.deletion_requested_at ? 'Deleting' : r.status.phase)
  return {
    generated_at: toRfc3339(deps.clock.now()),
    tenants: {
      total: tenants.length,
      active: tenants.filter((t) => t.phase === 'Active').length,
      suspended: tenants.filter((t) => t.phase === 'Suspended').length,
    },
    clusters: { total: clusters.length, by_phase: countBy(clusters, (c) => c.status.phase) },
    secrets: { total: secrets.length, synced: secretPhases.Synced ?? 0, failed: secretPhases.Failed ?? 0, by_phase: secretPhases },
    projects: { total: projects.length, by_phase: countBy(projects, phaseOf) },
    apps: {
      total: apps.length,
      by_phase: countBy(apps, phaseOf),
      by_registry: countBy(apps, (a) => registryOf(a.spec.image) ?? 'invalid'),
      available_replicas: apps.reduce((n, a) => n + a.status.available_replicas, 0),
    },
    deliveries: {
      rolled_out: apps.filter((a) => a.status.phase === 'Ready' && a.status.observed_generation === a.generation).length,
      hooks: { succeeded: hookResults.Succeeded ?? 0, failed: hookResults.Failed ?? 0, running: hookResults.Running ?? 0, pending: hookResults.Pending ?? 0 },
    },
    events,
  }
}
