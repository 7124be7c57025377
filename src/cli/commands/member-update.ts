import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { memberView } from '../views/member.js'

export const memberUpdate = defineCommand<IfMatchOpts & { role: 'admin' | 'readonly' }, 'email'>({
  path: ['member', 'update'],
  summary: "Change a member's role",
  args: [{ name: 'email', description: 'member email' }],
  options: [{ flags: '--role <role>', description: 'admin or readonly', required: true, choices: ['admin', 'readonly'] }, ifMatchOption],
  examples: ['kupe member update bob@acme.com --role admin'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    const member = await body(
      session.api().PATCH('/api/v1/tenants/{tenant}/members/{email}', {
        params: { path: { tenant, email: args.email } },
        body: { role: opts.role },
        headers: ifMatchHeader(opts),
      }),
    )
    if (out.structured(member)) return Exit.Ok
    if (out.quiet) out.object(member, memberView)
    else out.done(`Member ${member.email} is now ${member.role}.`)
    return Exit.Ok
  },
})
