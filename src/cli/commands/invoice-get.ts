import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { invoiceView, lineItemsTable } from '../views/invoice.js'

export const invoiceGet = defineCommand<Record<string, never>, 'name'>({
  path: ['invoice', 'get'],
  summary: 'Show an invoice with its line items (YYYY-MM, or "current")',
  args: [{ name: 'name', description: 'billing period YYYY-MM, or "current" for the open draft' }],
  examples: ['kupe invoice get 2026-03', 'kupe invoice get current -o json'],
  async run({ args, session, out, io }) {
    const tenant = session.tenant()
    const name = args.name === 'current' ? new Date(io.now()).toISOString().slice(0, 7) : args.name
    const invoice = await body(session.api().GET('/api/v1/tenants/{tenant}/invoices/{name}', { params: { path: { tenant, name } } }))
    out.object(invoice, invoiceView)
    if (out.format === 'table' && !out.quiet) out.raw(`\n${lineItemsTable(invoice)}`)
    return Exit.Ok
  },
})
