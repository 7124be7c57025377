import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../app-deps.js'
import { appRoutes } from './apps.js'
import { hostClusterRoutes } from './host-clusters.js'
import { projectRoutes } from './projects.js'
import { kubeopReportRoutes } from './reports.js'
import { kubeopTenantRoutes } from './tenants.js'

const groups = [hostClusterRoutes, kubeopTenantRoutes, projectRoutes, appRoutes, kubeopReportRoutes]

/** The kubeOP manager API under /v1 (seed 004): host clusters → tenants → projects → apps, and reports. */
export const kubeopRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  for (const group of groups) await app.register(group(c))
}
