import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { addMember, changeMemberRole, listTenantMembers, removeMember } from '../../../domain/members/member-service.js'
import { MemberCreate, MemberPatch } from '../../../domain/members/schema.js'
import { Member } from '../../../domain/tenants/schema.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads, checked } from '../access.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

const tags = ['members']
const EmailParams = Type.Object({ tenant: Type.String(), email: Type.String({ description: 'Member email (percent-encoded)' }) })
const byEmail = checked(['email', 'email'])

/** Members (spec §5.6): stored on the tenant; every write answers with the tenant's new ETag. */
export const memberRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/members', {
    config: { access: anyMemberReads, list: true },
    schema: { tags, summary: 'List members', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(Member)) }) },
  }, async (req) => listTenantMembers(c, tenantContextOf(req), parsePage(req.query)))

  app.post('/tenants/:tenant/members', {
    config: { access: adminWrites },
    schema: { tags, summary: 'Add a member', params: TenantParam, body: MemberCreate, response: responses('tenant-write', { 201: ref(Member) }, [409, 412, 413, 415, 422]) },
  }, async (req, reply) => {
    const r = await addMember(c, tenantContextOf(req), req.body, req.headers['if-match'])
    return reply.code(201).header('etag', etagOf(r.resourceVersion)).send(r.member)
  })

  app.patch('/tenants/:tenant/members/:email', {
    config: { access: adminWrites, mergePatch: true, ...byEmail },
    schema: { tags, summary: "Change a member's role", params: EmailParams, body: MemberPatch, response: responses('tenant-write', { 200: ref(Member) }, [404, 412, 413, 415]) },
  }, async (req, reply) => {
    const r = await changeMemberRole(c, tenantContextOf(req), req.params.email, req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(r.resourceVersion)).send(r.member)
  })

  app.delete('/tenants/:tenant/members/:email', {
    // Removing a member only takes access away: allowed on suspended tenants (§2.4).
    config: { access: { ...adminWrites, write: false }, ...byEmail },
    schema: { tags, summary: 'Remove a member', params: EmailParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
  }, async (req, reply) => {
    const version = await removeMember(c, tenantContextOf(req), req.params.email, req.headers['if-match'])
    return reply.code(204).header('etag', etagOf(version)).send()
  })
}
