import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { getPlan, listPublicPlans } from '../../../domain/plans/plan-service.js'
import { list, ListQuery, responses } from '../shared-schemas.js'

/** Public plan catalogue (spec §5.9): no authentication; Authorization is ignored. */
export const planRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/plans',
    {
      config: { access: { kind: 'public' }, list: true },
      schema: { tags: ['plans'], summary: 'List plans', querystring: ListQuery, response: responses('public', { 200: list(Type.Ref('Plan')) }, [400]) },
    },
    async (req) => listPublicPlans(c, parsePage(req.query as object)),
  )
  app.get(
    '/plans/:name',
    {
      config: { access: { kind: 'public' }, pathParams: [['name', 'planName']] },
      schema: { tags: ['plans'], summary: 'Get a plan', params: Type.Object({ name: Type.String() }), response: responses('public', { 200: Type.Ref('Plan') }, [404]) },
    },
    async (req) => getPlan(c, (req.params as { name: string }).name),
  )
}
