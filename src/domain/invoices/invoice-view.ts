import { toRfc3339 } from '../../lib/time.js'
import type { InvoiceRow } from '../../store/db.js'
import type { Invoice } from './schema.js'

/** The invoice object of spec §6.8 from its stored row (a computed Draft takes the same shape). */
export function invoiceToApi(row: Omit<InvoiceRow, 'tenant_id'>): Invoice {
  return {
    name: row.name,
    billingPeriod: { start: toRfc3339(row.period_start), end: toRfc3339(row.period_end) },
    createdAt: toRfc3339(row.created_at),
    resourceVersion: row.resource_version,
    status: {
      phase: row.phase,
      currency: row.currency,
      subtotal: row.subtotal,
      creditsApplied: row.credits_applied,
      tax: row.tax,
      total: row.total,
      ...(row.due_date && row.phase !== 'Draft' ? { dueDate: toRfc3339(row.due_date) } : {}),
      lineItems: row.line_items,
    },
  }
}
