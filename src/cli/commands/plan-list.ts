import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { planView } from '../views/plan.js'

export const planList = defineCommand<PageOpts>({
  path: ['plan', 'list'],
  summary: 'List the plans on offer (no credentials needed)',
  options: pageOptions,
  examples: ['kupe plan list', 'kupe plan list -o json'],
  async run({ opts, session, out }) {
    out.list(await body(session.publicApi().GET('/api/v1/plans', { params: { query: pageQuery(opts) } })), planView)
    return Exit.Ok
  },
})
