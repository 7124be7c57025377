import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../../domain/common/schema.js'
import { analyticsSummary } from '../../../domain/kubeop/analytics-summary.js'
import { kubeopInvoice } from '../../../domain/kubeop/kubeop-invoice.js'
import { AnalyticsSummary, KubeopInvoice, UsageSnapshot } from '../../../domain/kubeop/schema.js'
import { usageSnapshot } from '../../../domain/kubeop/usage-snapshot.js'
import { UsageIngest, UsageSample } from '../../../domain/usage/schema.js'
import { ingestUsage } from '../../../domain/usage/usage-ingest-service.js'
import type { AppDeps } from '../../app-deps.js'
import { principalOf } from '../../plugins/auth.js'
import { kubeopAdmin, kubeopTenants } from '../access.js'
import { responses } from '../shared-schemas.js'

const tags = ['admin', 'kubeop']

/** The manager API's reports under /v1 (seed 004): usage, invoices, analytics. */
export const kubeopReportRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/v1/usage/ingest', {
    config: { access: kubeopAdmin },
    schema: {
      tags, summary: 'Ingest hourly observability usage (active series, log bytes); a repeated tenant-hour replaces', body: UsageIngest,
      response: responses('admin', { 200: Type.Object({ items: Type.Array(ref(UsageSample)) }) }, [409, 413, 415, 422]),
    },
  }, async (req) => ingestUsage(c, req.body))

  app.get('/v1/usage/snapshot', {
    config: { access: kubeopAdmin },
    schema: { tags, summary: 'Quotas, allocations, cluster and namespace counts, per tenant and in total', response: responses('admin', { 200: ref(UsageSnapshot) }) },
  }, async () => usageSnapshot(c))

  app.get('/v1/invoices/:tenantID', {
    config: { access: kubeopTenants },
    schema: {
      tags, summary: "A tenant's invoice summary for the open period (its Draft)",
      params: Type.Object({ tenantID: Type.String({ description: 'Tenant name or id' }) }),
      response: responses('admin', { 200: ref(KubeopInvoice) }, [404]),
    },
  }, async (req) => kubeopInvoice(c, principalOf(req), req.params.tenantID))

  app.get('/v1/analytics/summary', {
    config: { access: kubeopAdmin },
    schema: { tags, summary: 'Tenants, clusters by phase, secrets by sync outcome, API requests of the last 24 hours', response: responses('admin', { 200: ref(AnalyticsSummary) }) },
  }, async () => analyticsSummary(c, app.requestCounts.lastDay(c.clock.now())))
}
