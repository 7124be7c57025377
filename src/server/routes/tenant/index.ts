import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { apiKeyRoutes } from './apikeys.js'
import { planRoutes } from './plans.js'
import { tenantSelfRoutes } from './tenant.js'

/** The Kupe API under /api/v1 (spec §5): public plans and everything under /tenants/{tenant}. */
export const tenantRoutes = (c: Container) => async (app: FastifyInstance) => {
  for (const group of [planRoutes, tenantSelfRoutes, apiKeyRoutes]) await app.register(group(c))
}
