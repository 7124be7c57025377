import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

export const vaultDelete = defineCommand<Record<string, never>, 'path'>({
  path: ['vault', 'delete'],
  summary: 'Delete a vault entry and every version of it',
  description: 'Delete every version of a vault entry. Secrets syncing it turn Failed; Kubernetes Secrets already synced stay.',
  args: [{ name: 'path', description: 'vault path' }],
  examples: ['kupe vault delete production/old-db'],
  async run({ args, session, out }) {
    const tenant = session.tenant()
    await ok(session.api().DELETE('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path: args.path } } }))
    out.done(`Vault entry ${args.path} deleted.`)
    return Exit.Ok
  },
})
