import type { DomainDeps } from '../deps.js'
import type { PlanRow } from '../../store/db.js'
import { countPlans, findPlan, insertPlan, listPlans } from '../../store/plans.js'
import { decodeContinue, toPage, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import { defaultPlans } from './catalogue.js'
import type { Plan, PlanRates } from './schema.js'

type Deps = Pick<DomainDeps, 'db'>

export function planToApi(row: PlanRow): Plan {
  return {
    name: row.name,
    displayName: row.display_name,
    platformFee: row.platform_fee,
    currency: row.currency,
    maxClusters: row.max_clusters,
    dedicatedClusters: row.dedicated_clusters,
    resourcePool: row.resource_pool,
    observabilityPool: row.observability_pool,
    rates: row.rates as PlanRates,
  }
}

/** Seeds the default catalogue into an empty plans table (first start). */
export async function seedPlans(deps: Deps): Promise<void> {
  if ((await countPlans(deps.db)) > 0) return
  for (const [i, p] of defaultPlans.entries()) {
    await insertPlan(deps.db, {
      name: p.name, position: i, display_name: p.displayName, platform_fee: p.platformFee, currency: p.currency,
      max_clusters: p.maxClusters, dedicated_clusters: p.dedicatedClusters,
      resource_pool: p.resourcePool ? JSON.stringify(p.resourcePool) : null,
      observability_pool: JSON.stringify(p.observabilityPool), rates: JSON.stringify(p.rates),
    })
  }
}

export async function listPublicPlans(deps: Deps, page: Page): Promise<ListResult<Plan>> {
  const after = decodeContinue(page, 'plans')
  if (after && typeof after[0] !== 'number') throw errors.invalidContinue()
  const rows = (await listPlans(deps.db)).filter((r) => after === undefined || r.position > (after[0] as number))
  return toPage(rows, page, 'plans', (r) => [r.position], planToApi)
}

export async function getPlan(deps: Deps, name: string): Promise<Plan> {
  const row = await findPlan(deps.db, name)
  if (!row) throw errors.planNotFound()
  return planToApi(row)
}
