import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { addMember, changeMemberRole, listTenantMembers, removeMember } from '../../../domain/members/member-service.js'
import { MemberCreate, MemberPatch } from '../../../domain/members/schema.js'
import { etagOf } from '../../../lib/etag.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

const tags = ['members']
const EmailParams = Type.Object({ tenant: Type.String(), email: Type.String({ description: 'Member email (percent-encoded)' }) })
const admin = { kind: 'tenant', role: 'admin', write: true } as const
const email = (req: { params: unknown }) => (req.params as { email: string }).email

/** Members (spec §5.6): stored on the tenant; every write answers with the tenant's new ETag. */
export const memberRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant/members',
    {
      config: { access: { kind: 'tenant', role: 'any', write: false }, list: true },
      schema: { tags, summary: 'List members', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('Member')) }) },
    },
    async (req) => listTenantMembers(c, tenantContextOf(req), parsePage(req.query as object)),
  )
  app.post(
    '/tenants/:tenant/members',
    {
      config: { access: admin },
      schema: { tags, summary: 'Add a member', params: TenantParam, body: MemberCreate, response: responses('tenant-write', { 201: Type.Ref('Member') }, [409, 412, 413, 415, 422]) },
    },
    async (req, reply) => {
      const r = await addMember(c, tenantContextOf(req), req.body as MemberCreate, req.headers['if-match'])
      return reply.code(201).header('etag', etagOf(r.resourceVersion)).send(r.member)
    },
  )
  app.patch(
    '/tenants/:tenant/members/:email',
    {
      config: { access: admin, pathParams: [['email', 'email']], mergePatch: true },
      schema: { tags, summary: "Change a member's role", params: EmailParams, body: MemberPatch, response: responses('tenant-write', { 200: Type.Ref('Member') }, [404, 412, 413, 415]) },
    },
    async (req, reply) => {
      const r = await changeMemberRole(c, tenantContextOf(req), email(req), req.body as MemberPatch, req.headers['if-match'])
      return reply.header('etag', etagOf(r.resourceVersion)).send(r.member)
    },
  )
  app.delete(
    '/tenants/:tenant/members/:email',
    {
      // Removing a member only takes access away: allowed on suspended tenants (§2.4).
      config: { access: { ...admin, write: false }, pathParams: [['email', 'email']] },
      schema: { tags, summary: 'Remove a member', params: EmailParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
    },
    async (req, reply) => {
      const version = await removeMember(c, tenantContextOf(req), email(req), req.headers['if-match'])
      return reply.code(204).header('etag', etagOf(version)).send()
    },
  )
}
