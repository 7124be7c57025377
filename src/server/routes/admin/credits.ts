import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { grantTenantCredit, listTenantCredits } from '../../../domain/credits/credit-service.js'
import { CreditGrant } from '../../../domain/credits/schema.js'
import { list, ListQuery, responses } from '../shared-schemas.js'

const admin = { kind: 'platform-admin' } as const
const tags = ['admin', 'billing']
const NameParam = Type.Object({ name: Type.String({ description: 'Tenant name' }) })

/** Credits the platform operator grants a tenant (issue #5); closed invoices apply them. */
export const adminCreditRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.post(
    '/tenants/:name/credits',
    {
      config: { access: admin },
      schema: {
        tags, summary: 'Grant a tenant a credit', params: NameParam, body: CreditGrant,
        response: responses('admin', { 201: Type.Ref('Credit') }, [404, 409, 413, 415, 422]),
      },
    },
    async (req, reply) => reply.code(201).send(await grantTenantCredit(c, (req.params as { name: string }).name, req.body as CreditGrant)),
  )
  app.get(
    '/tenants/:name/credits',
    {
      config: { access: admin, list: true },
      schema: {
        tags, summary: "List a tenant's credits, oldest first, with what remains of each", params: NameParam, querystring: ListQuery,
        response: responses('admin', { 200: list(Type.Ref('Credit')) }, [404]),
      },
    },
    async (req) => listTenantCredits(c, (req.params as { name: string }).name, parsePage(req.query as object)),
  )
}
