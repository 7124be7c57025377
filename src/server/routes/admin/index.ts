import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../app-deps.js'
import { adminBillingRoutes } from './billing.js'
import { adminCreditRoutes } from './credits.js'
import { adminTenantRoutes } from './tenants.js'

/** The platform operator's API under /api/v1/admin. */
export const adminRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  for (const group of [adminTenantRoutes, adminBillingRoutes, adminCreditRoutes]) await app.register(group(c))
}
