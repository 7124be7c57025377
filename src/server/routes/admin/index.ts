import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { adminBillingRoutes } from './billing.js'
import { adminCreditRoutes } from './credits.js'
import { adminTenantRoutes } from './tenants.js'

/** The platform operator's API under /api/v1/admin. */
export const adminRoutes = (c: Container) => async (app: FastifyInstance) => {
  for (const group of [adminTenantRoutes, adminBillingRoutes, adminCreditRoutes]) await app.register(group(c))
}
