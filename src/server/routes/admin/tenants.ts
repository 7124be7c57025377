import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { Tenant, TenantCreate } from '../../../domain/tenants/schema.js'
import {
  createTenant,
  deleteTenantAsAdmin,
  getTenantAsAdmin,
  listAllTenants,
  setTenantPhase,
} from '../../../domain/tenants/tenant-admin-service.js'
import type { AppDeps } from '../../app-deps.js'
import { checked, platformAdmin } from '../access.js'
import { list, ListQuery, responses } from '../shared-schemas.js'

const tags = ['admin']
const NameParam = Type.Object({ name: Type.String() })
/** Tenant names are checked before any lookup, as on tenant routes (§1.7). */
const byTenantName = checked(['name', 'tenantName'])
/** Suspend and resume take no fields; a body, when sent, must be an empty JSON object. */
const NoFields = Type.Object({}, { additionalProperties: false })
const TenantCreated = Type.Intersect([
  ref(Tenant),
  Type.Object({ apiKey: Type.Object({ id: Type.String(), key: Type.String(), role: Type.Literal('admin') }) }),
])
const PHASE_ACTIONS = [['suspend', 'Suspended'], ['resume', 'Active']] as const

/** The platform operator's tenant administration (issue #2 §3). */
export const adminTenantRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/tenants', {
    config: { access: platformAdmin, noStore: true },
    schema: { tags, summary: 'Create a tenant with its owner and first admin key', body: TenantCreate, response: responses('admin', { 201: TenantCreated }, [409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await createTenant(c, req.body)))

  app.get('/tenants', {
    config: { access: platformAdmin, list: true },
    schema: { tags, summary: 'List tenants', querystring: ListQuery, response: responses('admin', { 200: list(ref(Tenant)) }) },
  }, async (req) => listAllTenants(c, parsePage(req.query)))

  app.get('/tenants/:name', {
    config: { access: platformAdmin, ...byTenantName },
    schema: { tags, summary: 'Get a tenant', params: NameParam, response: responses('admin', { 200: ref(Tenant) }, [404]) },
  }, async (req) => getTenantAsAdmin(c, req.params.name))

  app.delete('/tenants/:name', {
    config: { access: platformAdmin, ...byTenantName },
    schema: {
      tags, summary: 'Delete a tenant and everything it owns, its clusters first; asynchronous (202, then Deleting until gone)',
      params: NameParam, response: responses('admin', { 202: ref(Tenant) }, [404, 409]),
    },
  }, async (req, reply) => reply.code(202).send(await deleteTenantAsAdmin(c, req.params.name)))

  for (const [action, phase] of PHASE_ACTIONS) {
    app.post(`/tenants/:name/${action}`, {
      config: { access: platformAdmin, optionalBody: true, ...byTenantName },
      schema: {
        tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a tenant`, params: NameParam, body: NoFields,
        response: responses('admin', { 200: ref(Tenant) }, [404, 409, 413, 415, 422]),
      },
    }, async (req) => setTenantPhase(c, req.params.name, phase))
  }
}
