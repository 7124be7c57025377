import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { memberView } from '../views/member.js'

export const memberList = defineCommand<PageOpts>({
  path: ['member', 'list'],
  summary: 'List the members of the tenant and their roles',
  options: pageOptions,
  examples: ['kupe member list'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/members', { params: { path: { tenant }, query: pageQuery(opts) } })), memberView)
    return Exit.Ok
  },
})
