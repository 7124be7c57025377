import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { closePeriodForAllTenants } from '../../../domain/invoices/billing-close.js'
import { moveInvoice } from '../../../domain/invoices/invoice-lifecycle.js'
import { responses } from '../shared-schemas.js'

const admin = { kind: 'platform-admin' } as const
const tags = ['admin', 'billing']
const InvoiceParams = Type.Object({ name: Type.String({ description: 'Tenant name' }), period: Type.String({ description: 'YYYY-MM' }) })

/** Billing operations of the platform operator (issue #5): the monthly close and the invoice lifecycle. */
export const adminBillingRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.post(
    '/billing/close',
    {
      config: { access: admin, optionalBody: true },
      schema: {
        tags,
        summary: 'Close a finished billing period for every tenant (and any earlier month still open); idempotent',
        querystring: Type.Object({ period: Type.String({ description: 'YYYY-MM, a period that has ended' }) }),
        response: responses('admin', { 200: Type.Ref('ClosedBillingPeriod') }, [409, 422]),
      },
    },
    async (req) => closePeriodForAllTenants(c, (req.query as { period?: unknown }).period),
  )
  for (const [move, summary] of [
    ['paid', 'Mark a Billed or PastDue invoice Paid'],
    ['void', 'Void (cancel) a Billed or PastDue invoice; the credits it drew are given back'],
  ] as const) {
    app.post(
      `/tenants/:name/invoices/:period/${move}`,
      {
        config: { access: admin, optionalBody: true, pathParams: [['period', 'invoiceName']] },
        schema: { tags, summary, params: InvoiceParams, response: responses('admin', { 200: Type.Ref('Invoice') }, [404, 409, 422]) },
      },
      async (req) => {
        const { name, period } = req.params as { name: string; period: string }
        return moveInvoice(c, name, period, move)
      },
    )
  }
}
