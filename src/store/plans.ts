import type { Executor, PlanRow } from './db.js'

export const listPlans = (db: Executor) => db.selectFrom('plans').selectAll().orderBy('position').execute()

export const findPlan = (db: Executor, name: string) =>
  db.selectFrom('plans').selectAll().where('name', '=', name).executeTakeFirst()

export async function countPlans(db: Executor): Promise<number> {
  const r = await db.selectFrom('plans').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

export const insertPlan = (db: Executor, row: Omit<PlanRow, 'resource_pool' | 'observability_pool' | 'rates'> & {
  resource_pool: string | null
  observability_pool: string
  rates: string
}) => db.insertInto('plans').values(row).onConflict((oc) => oc.column('name').doNothing()).execute()
