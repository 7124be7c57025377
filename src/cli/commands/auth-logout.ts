import { defineCommand } from '../framework/command.js'
import { findContext, upsertContext } from '../framework/contexts.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

export const authLogout = defineCommand<{ admin?: boolean }>({
  path: ['auth', 'logout'],
  summary: 'Remove the saved credential from the current context',
  description:
    'Remove the saved API key or single sign-on (or with --admin the admin token) from the context. The key itself stays valid; ' +
    'revoke it with `kupe apikey revoke`. A signed-in ID token stays valid at the issuer until it expires.',
  options: [{ flags: '--admin', description: 'remove the platform admin token instead' }],
  examples: ['kupe auth logout', 'kupe auth logout --context staging'],
  async run({ opts, session, out }) {
    const file = session.configFile()
    const name = session.flags.context ?? file.currentContext
    if (!name) throw usageError('no current context: nothing to log out of')
    const { token, adminToken, oidc, ...rest } = findContext(file, name)
    const kept = opts.admin ? { ...(token ? { token } : {}), ...(oidc ? { oidc } : {}) } : adminToken ? { adminToken } : {}
    session.saveConfigFile(upsertContext(file, { ...rest, ...kept }))
    out.done(`Logged out of context "${name}".`)
    return Exit.Ok
  },
})
