import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Period, ref } from '../../../domain/common/schema.js'
import { closePeriodForAllTenants } from '../../../domain/invoices/billing-close.js'
import { moveInvoice } from '../../../domain/invoices/invoice-lifecycle.js'
import { ClosedPeriod, Invoice } from '../../../domain/invoices/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { checked, platformAdmin } from '../access.js'
import { responses } from '../shared-schemas.js'

const tags = ['admin', 'billing']
const InvoiceParams = Type.Object({ name: Type.String({ description: 'Tenant name' }), period: Type.String({ description: 'YYYY-MM' }) })
const MOVES = [
  ['paid', 'Mark a Billed or PastDue invoice Paid'],
  ['void', 'Void (cancel) a Billed or PastDue invoice; the credits it drew are given back'],
] as const

/** Billing operations of the platform operator (issue #5): the monthly close and the invoice lifecycle. */
export const adminBillingRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/billing/close', {
    config: { access: platformAdmin, optionalBody: true },
    schema: {
      tags, summary: 'Close a finished billing period for every tenant (and any earlier month still open); idempotent',
      querystring: Type.Object({ period: Period('YYYY-MM, a period that has ended') }),
      response: responses('admin', { 200: ref(ClosedPeriod) }, [409, 422]),
    },
  }, async (req) => closePeriodForAllTenants(c, req.query.period))

  for (const [move, summary] of MOVES) {
    app.post(`/tenants/:name/invoices/:period/${move}`, {
      config: { access: platformAdmin, optionalBody: true, ...checked(['period', 'invoiceName']) },
      schema: { tags, summary, params: InvoiceParams, response: responses('admin', { 200: ref(Invoice) }, [404, 409, 422]) },
    }, async (req) => moveInvoice(c, req.params.name, req.params.period, move))
  }
}
