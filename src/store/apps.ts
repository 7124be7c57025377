import type { Insertable, Updateable } from 'kysely'
import type { AppTable, Executor } from './db.js'

export const findApp = (db: Executor, id: string) => db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst()

export const lockApp = (db: Executor, id: string) => db.selectFrom('apps').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export const findAppByName = (db: Executor, projectId: string, name: string) =>
  db.selectFrom('apps').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst()

/** A project's apps (or every app), oldest first. */
export const listApps = (db: Executor, projectId?: string) => {
  let q = db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id')
  if (projectId !== undefined) q = q.where('project_id', '=', projectId)
  return q.execute()
}

export async function countApps(db: Executor, projectId: string): Promise<number> {
  const r = await db.selectFrom('apps').select((eb) => eb.fn.countAll<string>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow()
  return Number(r.n)
}

export const insertApp = (db: Executor, row: Insertable<AppTable>) => db.insertInto('apps').values(row).returningAll().executeTakeFirstOrThrow()

export const updateApp = (db: Executor, id: string, patch: Updateable<AppTable>) =>
  db.updateTable('apps').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteAppRow = (db: Executor, id: string) => db.deleteFrom('apps').where('id', '=', id).execute()
