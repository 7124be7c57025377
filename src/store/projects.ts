import type { Insertable, Updateable } from 'kysely'
import type { Executor, ProjectTable } from './db.js'

export const findProject = (db: Executor, id: string) => db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()

export const lockProject = (db: Executor, id: string) =>
  db.selectFrom('projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export const findProjectByNamespace = (db: Executor, hostClusterId: string, namespace: string) =>
  db.selectFrom('projects').selectAll().where('host_cluster_id', '=', hostClusterId).where('namespace', '=', namespace).executeTakeFirst()

export const findProjectByName = (db: Executor, tenantId: string, name: string) =>
  db.selectFrom('projects').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()

/** A tenant's projects (or every project), oldest first. */
export const listProjects = (db: Executor, tenantId?: string) => {
  let q = db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id')
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId)
  return q.execute()
}

export async function countProjects(db: Executor, tenantId: string): Promise<number> {
  const r = await db.selectFrom('projects').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()
  return Number(r.n)
}

export const insertProject = (db: Executor, row: Insertable<ProjectTable>) =>
  db.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow()

export const updateProject = (db: Executor, id: string, patch: Updateable<ProjectTable>) =>
  db.updateTable('projects').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

export const deleteProjectRow = (db: Executor, id: string) => db.deleteFrom('projects').where('id', '=', id).execute()
