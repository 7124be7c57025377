import type { DomainDeps } from '../deps.js'
import { toRfc3339 } from '../../lib/time.js'
import { listAllClusterSummaries, listAllSecretSummaries } from '../../store/platform-stats.js'
import { listTenants } from '../../store/tenants.js'
import type { AnalyticsSummary, StatusClassCounts } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock'>

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

/** GET /v1/analytics/summary (kubeOP): tenants, clusters by phase, secrets by sync outcome, API traffic. */
export async function analyticsSummary(deps: Deps, requests: ApiRequestWindow): Promise<AnalyticsSummary> {
  const [tenants, clusters, secrets] = await Promise.all([
    listTenants(deps.db, undefined, undefined),
    listAllClusterSummaries(deps.db),
    listAllSecretSummaries(deps.db),
  ])
  const secretPhases = countBy(secrets, (s) => s.status.phase)
  return {
    generated_at: toRfc3339(deps.clock.now()),
    tenants: {
      total: tenants.length,
      active: tenants.filter((t) => t.phase === 'Active').length,
      suspended: tenants.filter((t) => t.phase === 'Suspended').length,
    },
    clusters: { total: clusters.length, by_phase: countBy(clusters, (c) => c.status.phase) },
    secrets: { total: secrets.length, synced: secretPhases.Synced ?? 0, failed: secretPhases.Failed ?? 0, by_phase: secretPhases },
    api_requests: {
      window_hours: 24,
      since: toRfc3339(requests.since),
      total: Object.values(requests.counts).reduce((a, b) => a + b, 0),
      by_status_class: requests.counts,
    },
  }
}
