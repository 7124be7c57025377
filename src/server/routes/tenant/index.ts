import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { apiKeyRoutes } from './apikeys.js'
import { clusterRoutes } from './clusters.js'
import { credentialRoutes } from './credentials.js'
import { invoiceRoutes } from './invoices.js'
import { memberRoutes } from './members.js'
import { planRoutes } from './plans.js'
import { secretRoutes } from './secrets.js'
import { tenantSelfRoutes } from './tenant.js'
import { vaultRoutes } from './vault.js'

/** The Kupe API under /api/v1 (spec §5): public plans and everything under /tenants/{tenant}. */
export const tenantRoutes = (c: Container) => async (app: FastifyInstance) => {
  for (const group of [planRoutes, tenantSelfRoutes, apiKeyRoutes, clusterRoutes, credentialRoutes, secretRoutes, vaultRoutes, memberRoutes, invoiceRoutes]) await app.register(group(c))
}
