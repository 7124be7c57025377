import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

export const apikeyRevoke = defineCommand<Record<string, never>, 'id'>({
  path: ['apikey', 'revoke'],
  summary: 'Revoke an API key, at once and for good',
  args: [{ name: 'id', description: 'key id (ak-…), see `kupe apikey list`' }],
  examples: ['kupe apikey revoke ak-1a2b3c4d'],
  async run({ args, session, out }) {
    const tenant = session.tenant()
    await ok(session.api().DELETE('/api/v1/tenants/{tenant}/apikeys/{id}', { params: { path: { tenant, id: args.id } } }))
    out.done(`API key ${args.id} revoked.`)
    return Exit.Ok
  },
})
