import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { grantTenantCredit, listTenantCredits } from '../../../domain/credits/credit-service.js'
import { Credit, CreditGrant } from '../../../domain/credits/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { platformAdmin } from '../access.js'
import { list, ListQuery, responses } from '../shared-schemas.js'

const tags = ['admin', 'billing']
const NameParam = Type.Object({ name: Type.String({ description: 'Tenant name' }) })

/** Credits the platform operator grants a tenant (issue #5); closed invoices apply them. */
export const adminCreditRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/tenants/:name/credits', {
    config: { access: platformAdmin },
    schema: { tags, summary: 'Grant a tenant a credit', params: NameParam, body: CreditGrant, response: responses('admin', { 201: ref(Credit) }, [404, 409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await grantTenantCredit(c, req.params.name, req.body)))

  app.get('/tenants/:name/credits', {
    config: { access: platformAdmin, list: true },
    schema: {
      tags, summary: "List a tenant's credits, oldest first, with what remains of each", params: NameParam, querystring: ListQuery,
      response: responses('admin', { 200: list(ref(Credit)) }, [404]),
    },
  }, async (req) => listTenantCredits(c, req.params.name, parsePage(req.query)))
}
