import type { Schemas } from '../api/client.js'
import { renderTable, type View } from '../framework/output.js'

type Invoice = Schemas['Invoice']

export const invoiceView: View<Invoice> = {
  id: (i) => i.name,
  columns: [
    ['NAME', (i) => i.name],
    ['PHASE', (i) => i.status.phase],
    ['SUBTOTAL', (i) => i.status.subtotal],
    ['CREDITS', (i) => i.status.creditsApplied],
    ['TAX', (i) => i.status.tax],
    ['TOTAL', (i) => `${i.status.total} ${i.status.currency}`],
    ['DUE', (i) => i.status.dueDate],
  ],
  details: (i) => [
    ['Invoice', i.name],
    ['Period', `${i.billingPeriod.start} to ${i.billingPeriod.end}`],
    ['Phase', i.status.phase],
    ['Subtotal', i.status.subtotal],
    ['Credits applied', i.status.creditsApplied],
    ['Tax', i.status.tax],
    ['Total', `${i.status.total} ${i.status.currency}`],
    ['Due', i.status.dueDate],
  ],
}

/** The line items of an invoice as a table. */
export function lineItemsTable(i: Invoice): string {
  return renderTable(
    ['KIND', 'DESCRIPTION', 'QUANTITY', 'UNIT', 'UNIT PRICE', 'COST'],
    i.status.lineItems.map((l) => [l.kind, l.description, l.quantity, l.unit, l.unitPrice, l.cost]),
  )
}
