import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { invoiceView } from '../views/invoice.js'

export const invoiceList = defineCommand<PageOpts>({
  path: ['invoice', 'list'],
  summary: 'List invoices of closed billing periods',
  description: 'List the invoices of closed billing periods, oldest first. The open period is `kupe invoice get current`.',
  options: pageOptions,
  examples: ['kupe invoice list', 'kupe invoice list -o json'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/invoices', { params: { path: { tenant }, query: pageQuery(opts) } })), invoiceView)
    return Exit.Ok
  },
})
