import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { secretView } from '../views/secret.js'

export const secretGet = defineCommand<Record<string, never>, 'name'>({
  path: ['secret', 'get'],
  summary: 'Show a managed secret and the sync status of each target',
  args: [{ name: 'name', description: 'secret name' }],
  examples: ['kupe secret get db-password', 'kupe secret get db-password -o json'],
  async run({ args, session, out }) {
    const tenant = session.tenant()
    out.object(await body(session.api().GET('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path: { tenant, name: args.name } } })), secretView)
    return Exit.Ok
  },
})
