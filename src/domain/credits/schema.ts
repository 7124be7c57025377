import { Type, type Static } from '@sinclair/typebox'

/** Money as the spec writes it (§1.5): two decimals, no sign, symbol or grouping. */
const MONEY = '^(0|[1-9][0-9]{0,11})\\.[0-9]{2}$'

/** POST /api/v1/admin/tenants/{name}/credits: the platform operator grants a credit. */
export const CreditGrant = Type.Object(
  {
    // `not` states the service's "greater than zero" rule in the document (the validator leaves it to the service).
    amount: Type.String({ pattern: MONEY, not: { const: '0.00' }, description: 'Money, two decimals, greater than zero ("20.00")' }),
    reason: Type.String({ minLength: 1, maxLength: 500, format: 'display-name-nonblank' }),
    expiresAt: Type.Optional(Type.String({ format: 'rfc3339', description: 'RFC 3339, in the future; omitted = never expires' })),
  },
  { additionalProperties: false },
)
export type CreditGrant = Static<typeof CreditGrant>

/** A credit: closed invoices draw `remaining` down, soonest expiry first (docs/decisions/0006-billing.md). */
export const Credit = Type.Object(
  {
    id: Type.String(),
    amount: Type.String({ description: 'As granted' }),
    remaining: Type.String({ description: 'Not yet applied to a closed invoice' }),
    reason: Type.String(),
    expiresAt: Type.Optional(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Credit', additionalProperties: false },
)
export type Credit = Static<typeof Credit>
