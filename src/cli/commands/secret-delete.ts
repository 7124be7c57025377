import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'

export const secretDelete = defineCommand<IfMatchOpts, 'name'>({
  path: ['secret', 'delete'],
  summary: 'Delete a secret definition (synced Secrets and the vault value stay)',
  args: [{ name: 'name', description: 'secret name' }],
  options: [ifMatchOption],
  examples: ['kupe secret delete db-password'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    await ok(session.api().DELETE('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path: { tenant, name: args.name } }, headers: ifMatchHeader(opts) }))
    out.done(`Secret "${args.name}" deleted; its vault entry and the Secrets already synced are untouched.`)
    return Exit.Ok
  },
})
