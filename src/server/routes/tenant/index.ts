import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../app-deps.js'
import { alertmanagerConfigRoutes } from './alertmanager-config.js'
import { alertmanagerReceiverRoutes } from './alertmanager-receivers.js'
import { apiKeyRoutes } from './apikeys.js'
import { clusterRoutes } from './clusters.js'
import { credentialRoutes } from './credentials.js'
import { invoiceRoutes } from './invoices.js'
import { memberRoutes } from './members.js'
import { planRoutes } from './plans.js'
import { secretRoutes } from './secrets.js'
import { tenantSelfRoutes } from './tenant.js'
import { vaultRoutes } from './vault.js'

const groups = [planRoutes, tenantSelfRoutes, apiKeyRoutes, clusterRoutes, credentialRoutes, secretRoutes, vaultRoutes, memberRoutes, invoiceRoutes,
  alertmanagerReceiverRoutes, alertmanagerConfigRoutes]

/** The Kupe API under /api/v1 (spec §5): public plans and everything under /tenants/{tenant}. */
export const tenantRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  for (const group of groups) await app.register(group(c))
}
