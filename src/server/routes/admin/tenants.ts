import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { TenantCreate } from '../../../domain/tenants/schema.js'
import {
  createTenant,
  deleteTenantAsAdmin,
  getTenantAsAdmin,
  listAllTenants,
  setTenantPhase,
} from '../../../domain/tenants/tenant-admin-service.js'
import { list, ListQuery, NoContent, responses } from '../shared-schemas.js'

const admin = { kind: 'platform-admin' } as const
const NameParam = Type.Object({ name: Type.String() })
/** Tenant names are checked before any lookup, as on tenant routes (§1.7). */
const byName = { pathParams: [['name', 'tenantName']] as Array<[string, 'tenantName']> }
/** Suspend and resume take no fields; a body, when sent, must be an empty JSON object. */
const NoFields = Type.Object({}, { additionalProperties: false })
const TenantCreated = Type.Intersect([
  Type.Ref('Tenant'),
  Type.Object({ apiKey: Type.Object({ id: Type.String(), key: Type.String(), role: Type.Literal('admin') }) }),
])

/** The platform operator's tenant administration (issue #2 §3). */
export const adminTenantRoutes = (c: Container) => async (app: FastifyInstance) => {
  const tags = ['admin']
  app.post(
    '/tenants',
    {
      config: { access: admin, noStore: true },
      schema: { tags, summary: 'Create a tenant with its owner and first admin key', body: TenantCreate, response: responses('admin', { 201: TenantCreated }, [409, 413, 415, 422]) },
    },
    async (req, reply) => reply.code(201).send(await createTenant(c, req.body as TenantCreate)),
  )
  app.get(
    '/tenants',
    {
      config: { access: admin, list: true },
      schema: { tags, summary: 'List tenants', querystring: ListQuery, response: responses('admin', { 200: list(Type.Ref('Tenant')) }) },
    },
    async (req) => listAllTenants(c, parsePage(req.query as object)),
  )
  app.get(
    '/tenants/:name',
    {
      config: { access: admin, ...byName },
      schema: { tags, summary: 'Get a tenant', params: NameParam, response: responses('admin', { 200: Type.Ref('Tenant') }, [404]) },
    },
    async (req) => getTenantAsAdmin(c, (req.params as { name: string }).name),
  )
  app.delete(
    '/tenants/:name',
    {
      config: { access: admin, ...byName },
      schema: { tags, summary: 'Delete a tenant and everything it owns', params: NameParam, response: responses('admin', { 204: NoContent }, [404]) },
    },
    async (req, reply) => {
      await deleteTenantAsAdmin(c, (req.params as { name: string }).name)
      return reply.code(204).send()
    },
  )
  for (const [action, phase] of [['suspend', 'Suspended'], ['resume', 'Active']] as const) {
    app.post(
      `/tenants/:name/${action}`,
      {
        config: { access: admin, optionalBody: true, ...byName },
        schema: {
          tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a tenant`, params: NameParam, body: NoFields,
          response: responses('admin', { 200: Type.Ref('Tenant') }, [404, 409, 413, 415, 422]),
        },
      },
      async (req) => setTenantPhase(c, (req.params as { name: string }).name, phase),
    )
  }
}
