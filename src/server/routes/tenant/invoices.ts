import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { getTenantInvoice, listTenantInvoices } from '../../../domain/invoices/invoice-service.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, responses, TenantParam } from '../shared-schemas.js'

const tags = ['invoices']
const anyMember = { kind: 'tenant', role: 'any', write: false } as const

/** Invoices (spec §5.8): closed periods are listed; the open period's Draft is computed on request. */
export const invoiceRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant/invoices',
    {
      config: { access: anyMember, list: true },
      schema: { tags, summary: 'List invoices of closed billing periods', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('Invoice')) }) },
    },
    async (req) => listTenantInvoices(c, tenantContextOf(req), parsePage(req.query as object)),
  )
  app.get(
    '/tenants/:tenant/invoices/:name',
    {
      config: { access: anyMember, pathParams: [['name', 'invoiceName']] },
      schema: {
        tags, summary: 'Get an invoice (YYYY-MM); the current period is its Draft',
        params: Type.Object({ tenant: Type.String(), name: Type.String({ description: 'YYYY-MM' }) }),
        response: responses('tenant-read', { 200: Type.Ref('Invoice') }, [404]),
      },
    },
    async (req) => getTenantInvoice(c, tenantContextOf(req), (req.params as { name: string }).name),
  )
}
