import type { DomainDeps } from '../deps.js'
import { etagMatches } from '../../lib/etag.js'
import { nextResourceVersion } from '../../store/connect.js'
import { revokeCredentialsCreatedBy } from '../../store/credential-revocations.js'
import type { Executor, MemberRow } from '../../store/db.js'
import { countMembers, deleteMember, findMember, insertMember, listMembers, updateMemberRole } from '../../store/members.js'
import { lockTenant, updateTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import type { Role } from '../common/schema.js'
import { keyCreators, keysOfPerson, memberIdentityOf } from '../auth/member-identity.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterName, cachedList, pageOf } from '../common/cached-page.js'
import { decodeContinue, stringKey, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { Member } from '../tenants/schema.js'
import type { MemberCreate, MemberPatch } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock'>

const MAX_MEMBERS = 1000

/** A member write's outcome: the member and the tenant's new resourceVersion (its ETag, §1.6). */
export interface MemberWrite {
  member: Member
  resourceVersion: string
}

export const memberToApi = (row: Pick<MemberRow, 'email' | 'role'>): Member => ({ email: row.email, role: row.role })

const LIST_TABLES: readonly CachedTable[] = ['members', 'tenants']

/** GET …/members: the whole list from the read cache when it can be (decision 0008), then the page. */
export async function listTenantMembers(deps: Pick<DomainDeps, 'db' | 'readCache'>, ctx: TenantContext, page: Page): Promise<ListResult<Member>> {
  const list = `members:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const tenantId = ctx.tenant.id
  const all = await deps.readCache.read(`member-list:${tenantId}`, LIST_TABLES, async () =>
    cachedList(await listMembers(deps.db, tenantId), (r) => [r.email], memberToApi))
  return pageOf(all!, page, list, after === undefined ? undefined : afterName(after))
}

/**
 * Every member write runs under the tenant lock: If-Match compares with the tenant's ETag, and
 * the write moves the tenant's resourceVersion (spec §5.6). Returns the locked tenant's version.
 */
async function lockForMemberWrite(trx: Executor, ctx: TenantContext, ifMatch: string | undefined): Promise<string> {
  const tenant = await lockTenant(trx, ctx.tenant.id)
  if (ifMatch !== undefined && !etagMatches(ifMatch, tenant.resource_version)) throw errors.etagMismatch()
  return tenant.resource_version
}

async function bumpTenant(trx: Executor, tenantId: string): Promise<string> {
  return (await updateTenant(trx, tenantId, { resource_version: await nextResourceVersion(trx) })).resource_version
}

/** Errors in the order of §5.6: 412, 409, LIMIT_EXCEEDED. */
export async function addMember(deps: Deps, ctx: TenantContext, body: MemberCreate, ifMatch: string | undefined): Promise<MemberWrite> {
  const email = body.email.toLowerCase()
  return deps.db.transaction().execute(async (trx) => {
    await lockForMemberWrite(trx, ctx, ifMatch)
    if (await findMember(trx, ctx.tenant.id, email)) throw errors.memberExists()
    if ((await countMembers(trx, ctx.tenant.id)) >= MAX_MEMBERS) throw errors.limitExceeded('members per tenant', MAX_MEMBERS)
    await insertMember(trx, ctx.tenant.id, email, body.role, deps.clock.now())
    return { member: { email, role: body.role }, resourceVersion: await bumpTenant(trx, ctx.tenant.id) }
  })
}

/** Errors in the order of §5.6: 412, 404, LAST_ADMIN. Setting the current role changes nothing. */
export async function changeMemberRole(
  deps: Deps, ctx: TenantContext, rawEmail: string, body: MemberPatch, ifMatch: string | undefined,
): Promise<MemberWrite> {
  const email = rawEmail.toLowerCase()
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockForMemberWrite(trx, ctx, ifMatch)
    const member = await findMember(trx, ctx.tenant.id, email)
    if (!member) throw errors.memberNotFound()
    if (member.role === body.role) return { member: memberToApi(member), resourceVersion: current }
    if (member.role === 'admin' && (await countMembers(trx, ctx.tenant.id, 'admin')) <= 1) throw errors.lastAdmin('role')
    await updateMemberRole(trx, ctx.tenant.id, email, body.role)
    // §5.3: a credential stops working when its creator is demoted below the credential's role.
    await revokeCredentialsOfPerson(trx, ctx.tenant.id, email, deps.clock.now(), 'admin')
    return { member: { email, role: body.role }, resourceVersion: await bumpTenant(trx, ctx.tenant.id) }
  })
}

/**
 * Errors in the order of §5.6: 412, 404, `Cannot remove yourself` (the caller's member identity,
 * §2.3), LAST_ADMIN. The person's cluster credentials are revoked; their API keys are not.
 */
export async function removeMember(deps: Deps, ctx: TenantContext, rawEmail: string, ifMatch: string | undefined): Promise<string> {
  const email = rawEmail.toLowerCase()
  return deps.db.transaction().execute(async (trx) => {
    await lockForMemberWrite(trx, ctx, ifMatch)
    const member = await findMember(trx, ctx.tenant.id, email)
    if (!member) throw errors.memberNotFound()
    if ((await memberIdentityOf(trx, ctx.tenant.id, ctx.principal.id)) === email) throw errors.cannotRemoveYourself()
    if (member.role === 'admin' && (await countMembers(trx, ctx.tenant.id, 'admin')) <= 1) throw errors.lastAdmin()
    await deleteMember(trx, ctx.tenant.id, email)
    await revokeCredentialsOfPerson(trx, ctx.tenant.id, email, deps.clock.now())
    return bumpTenant(trx, ctx.tenant.id)
  })
}

async function revokeCredentialsOfPerson(trx: Executor, tenantId: string, email: string, at: Date, role?: Role): Promise<void> {
  const keyIds = keysOfPerson(email, await keyCreators(trx, tenantId))
  await revokeCredentialsCreatedBy(trx, tenantId, { email, keyIds }, at, role)
}
