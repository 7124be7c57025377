import type { Role } from '../domain/common/schema.js'
import type { Executor } from './db.js'
import { byteOrder } from './byte-order.js'

export const listMembers = (db: Executor, tenantId: string, afterEmail?: string, limit?: number) => {
  let q = db.selectFrom('members').selectAll().where('tenant_id', '=', tenantId).orderBy(byteOrder('email'))
  if (afterEmail !== undefined) q = q.where(byteOrder('email'), '>', afterEmail)
  if (limit !== undefined) q = q.limit(limit)
  return q.execute()
}

export const findMember = (db: Executor, tenantId: string, email: string) =>
  db.selectFrom('members').selectAll().where('tenant_id', '=', tenantId).where('email', '=', email).executeTakeFirst()

export const insertMember = (db: Executor, tenantId: string, email: string, role: Role, at: Date) =>
  db.insertInto('members').values({ tenant_id: tenantId, email, role, created_at: at }).execute()

export const updateMemberRole = (db: Executor, tenantId: string, email: string, role: Role) =>
  db.updateTable('members').set({ role }).where('tenant_id', '=', tenantId).where('email', '=', email).execute()

export const deleteMember = (db: Executor, tenantId: string, email: string) =>
  db.deleteFrom('members').where('tenant_id', '=', tenantId).where('email', '=', email).execute()

export async function countMembers(db: Executor, tenantId: string, role?: Role): Promise<number> {
  let q = db.selectFrom('members').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId)
  if (role) q = q.where('role', '=', role)
  const r = await q.executeTakeFirstOrThrow()
  return Number(r.n)
}
