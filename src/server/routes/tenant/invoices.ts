import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { getTenantInvoice, listTenantInvoices } from '../../../domain/invoices/invoice-service.js'
import { Invoice } from '../../../domain/invoices/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { anyMemberReads, checked } from '../access.js'
import { list, ListQuery, responses, TenantParam } from '../shared-schemas.js'

const tags = ['invoices']

/** Invoices (spec §5.8): closed periods are listed; the open period's Draft is computed on request. */
export const invoiceRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/invoices', {
    config: { access: anyMemberReads, list: true },
    schema: { tags, summary: 'List invoices of closed billing periods', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(Invoice)) }) },
  }, async (req) => listTenantInvoices(c, tenantContextOf(req), parsePage(req.query)))

  app.get('/tenants/:tenant/invoices/:name', {
    config: { access: anyMemberReads, ...checked(['name', 'invoiceName']) },
    schema: {
      tags, summary: 'Get an invoice (YYYY-MM); the current period is its Draft',
      params: Type.Object({ tenant: Type.String(), name: Type.String({ description: 'YYYY-MM' }) }),
      response: responses('tenant-read', { 200: ref(Invoice) }, [404]),
    },
  }, async (req) => getTenantInvoice(c, tenantContextOf(req), req.params.name))
}
