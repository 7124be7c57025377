import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { getPlan, listPublicPlans } from '../../../domain/plans/plan-service.js'
import { Plan } from '../../../domain/plans/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { checked, publicRoute } from '../access.js'
import { list, ListQuery, responses } from '../shared-schemas.js'

const tags = ['plans']

/** Public plan catalogue (spec §5.9): no authentication; Authorization is ignored. */
export const planRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/plans', {
    config: { access: publicRoute, list: true },
    schema: { tags, summary: 'List plans', querystring: ListQuery, response: responses('public', { 200: list(ref(Plan)) }, [400]) },
  }, async (req) => listPublicPlans(c, parsePage(req.query)))

  app.get('/plans/:name', {
    config: { access: publicRoute, ...checked(['name', 'planName']) },
    schema: { tags, summary: 'Get a plan', params: Type.Object({ name: Type.String() }), response: responses('public', { 200: ref(Plan) }, [404]) },
  }, async (req) => getPlan(c, req.params.name))
}
