import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { memberView } from '../views/member.js'

export const memberAdd = defineCommand<IfMatchOpts & { role: 'admin' | 'readonly' }, 'email'>({
  path: ['member', 'add'],
  summary: 'Add a person to the tenant with a role',
  args: [{ name: 'email', description: 'their email (sign-in identity)' }],
  options: [{ flags: '--role <role>', description: 'admin or readonly', required: true, choices: ['admin', 'readonly'] }, ifMatchOption],
  examples: ['kupe member add bob@acme.com --role readonly'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    const member = await body(
      session.api().POST('/api/v1/tenants/{tenant}/members', { params: { path: { tenant } }, body: { email: args.email, role: opts.role }, headers: ifMatchHeader(opts) }),
    )
    if (out.structured(member)) return Exit.Ok
    if (out.quiet) out.object(member, memberView)
    else out.done(`Member ${member.email} added as ${member.role}.`)
    return Exit.Ok
  },
})
