import { Type, type Static } from '@sinclair/typebox'
import { ref, stringEnum } from '../common/schema.js'

/** Draft is the open period's estimate; the others follow a close (decision 0006). */
export const INVOICE_PHASES = ['Draft', 'Billed', 'Paid', 'PastDue', 'Canceled'] as const
export type InvoicePhase = (typeof INVOICE_PHASES)[number]

/** One invoice line (spec §6.8): quantity × unitPrice = cost, each rounded as §5.8 says. */
export const LineItem = Type.Object(
  {
    kind: Type.String({ description: 'platformFee | cpu | memory | storage | ha | metricsOverage | logOverage' }),
    description: Type.String(),
    quantity: Type.String({ description: 'Two decimals; four for platformFee' }),
    unit: Type.String(),
    unitPrice: Type.String({ description: 'At configured precision' }),
    cost: Type.String({ description: 'Money, two decimals' }),
  },
  { $id: 'InvoiceLineItem', additionalProperties: false },
)
export type LineItem = Static<typeof LineItem>

/** Spec §6.8. */
export const Invoice = Type.Object(
  {
    name: Type.String({ description: 'YYYY-MM' }),
    billingPeriod: Type.Object({ start: Type.String(), end: Type.String() }, { additionalProperties: false }),
    createdAt: Type.String(),
    resourceVersion: Type.String(),
    status: Type.Object(
      {
        phase: stringEnum(INVOICE_PHASES),
        currency: Type.String(),
        subtotal: Type.String(),
        creditsApplied: Type.String(),
        tax: Type.String(),
        total: Type.String(),
        dueDate: Type.Optional(Type.String({ description: 'Omitted on Draft' })),
        lineItems: Type.Array(ref(LineItem)),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Invoice', additionalProperties: false },
)
export type Invoice = Static<typeof Invoice>

/** POST /api/v1/admin/billing/close (platform operator): the period's invoice of every tenant that existed in it. */
export const ClosedPeriod = Type.Object(
  {
    period: Type.String({ description: 'YYYY-MM' }),
    items: Type.Array(
      Type.Object({ tenant: Type.String({ description: 'Tenant name' }), invoice: ref(Invoice) }, { additionalProperties: false }),
      { description: 'By tenant name' },
    ),
  },
  { $id: 'ClosedBillingPeriod', additionalProperties: false },
)
export type ClosedPeriod = Static<typeof ClosedPeriod>
