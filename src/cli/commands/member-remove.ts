import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'

export const memberRemove = defineCommand<IfMatchOpts, 'email'>({
  path: ['member', 'remove'],
  summary: 'Remove a member (their API keys stay until revoked)',
  description:
    'Remove a member: their sign-in stops working and the cluster credentials they created are revoked. API keys they ' +
    'created are not revoked; see `kupe apikey list` (CREATED BY) and revoke them explicitly.',
  args: [{ name: 'email', description: 'member email' }],
  options: [ifMatchOption],
  examples: ['kupe member remove bob@acme.com'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    await ok(session.api().DELETE('/api/v1/tenants/{tenant}/members/{email}', { params: { path: { tenant, email: args.email } }, headers: ifMatchHeader(opts) }))
    out.done(`Member ${args.email} removed.`)
    return Exit.Ok
  },
})
