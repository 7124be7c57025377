import type { DomainDeps } from '../deps.js'
import type { PlanRow } from '../../store/db.js'
import { countPlans, insertPlan, listPlans } from '../../store/plans.js'
import type { CachedTable } from '../../store/read-cache.js'
import { cachedList, pageOf, type CachedList } from '../common/cached-page.js'
import { decodeContinue, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import { defaultPlans } from './catalogue.js'
import type { Plan, PlanRates } from './schema.js'

type Deps = Pick<DomainDeps, 'db'>
type ReadDeps = Pick<DomainDeps, 'db' | 'readCache'>

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

const CATALOGUE_TABLES: readonly CachedTable[] = ['plans']

/** The whole catalogue in catalogue order, from the read cache when it can be (decision 0008). */
async function catalogue(deps: ReadDeps): Promise<CachedList<Plan>> {
  const list = await deps.readCache.read('plan-catalogue', CATALOGUE_TABLES, async () =>
    cachedList(await listPlans(deps.db), (r) => [r.position], planToApi))
  return list!
}

export async function listPublicPlans(deps: ReadDeps, page: Page): Promise<ListResult<Plan>> {
  const after = decodeContinue(page, 'plans')
  if (after && typeof after[0] !== 'number') throw errors.invalidContinue()
  const position = after?.[0] as number | undefined
  return pageOf(await catalogue(deps), page, 'plans', position === undefined ? undefined : (key) => (key[0] as number) > position)
}

export async function getPlan(deps: ReadDeps, name: string): Promise<Plan> {
  const plan = (await catalogue(deps)).all.items.find((p) => p.name === name)
  if (!plan) throw errors.planNotFound()
  return plan
}
