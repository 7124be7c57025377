import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { upsertContext } from '../framework/contexts.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { deviceLogin, fetchOidcConfig } from '../framework/oidc.js'
import { DEFAULT_API_URL, normaliseApiUrl, type ContextEntry } from '../framework/settings.js'
import { keyIdOf } from '../framework/token.js'

export const authLogin = defineCommand<{ admin?: boolean; oidc?: boolean }>({
  path: ['auth', 'login'],
  summary: 'Sign in (API key, or your single sign-on with --oidc) and save it in the current context',
  description:
    'Read an API key from stdin (or ask for it on a terminal, without echo), check it against the tenant, and save it ' +
    'in the context named by --context, else the current context, else a new context named after the tenant. ' +
    'Keys never go on the command line, where shell history and `ps` would keep them. ' +
    'With --admin the platform admin token is checked and saved instead, for `kupe admin …`. ' +
    'With --oidc you sign in as a member through the server\'s OpenID issuer (the device flow, RFC 8628): the command ' +
    'prints a URL and a code, you confirm the code in any browser, and the ID token (renewed through a refresh token ' +
    'when the issuer grants one) is saved in the context, file mode 0600, in place of an API key.',
  options: [
    { flags: '--admin', description: 'save the platform admin token instead of a tenant API key' },
    { flags: '--oidc', description: 'sign in as a member through the server\'s OpenID issuer (device code)' },
  ],
  examples: [
    'kupe auth login --api-url https://kupe.example.com --tenant acme < key.txt',
    'printf %s "$KUPE_KEY" | kupe auth login --tenant acme',
    'kupe auth login --oidc --api-url https://kupe.example.com --tenant acme',
    'kupe auth login --admin < /var/lib/kupe/admin-token',
  ],
  async run({ opts, session, io, out }) {
    if (opts.admin && opts.oidc) throw usageError('--admin and --oidc do not go together: the platform admin logs in with the admin token')
    const file = session.configFile()
    const tenantFlag = session.flags.tenant ?? io.env.KUPE_TENANT
    const name = session.flags.context ?? file.currentContext ?? tenantFlag ?? 'default'
    const existing = file.contexts.find((c) => c.name === name)
    const apiUrl = normaliseApiUrl(session.flags.apiUrl ?? existing?.apiUrl ?? io.env.KUPE_API_URL ?? DEFAULT_API_URL)
    const tenant = session.flags.tenant ?? existing?.tenant ?? io.env.KUPE_TENANT
    const noTenant = () => usageError('no tenant: pass --tenant (or set it with `kupe config set-context`)')
    const save = (entry: ContextEntry) => {
      const next = upsertContext(file, entry)
      if (!next.currentContext || !existing) next.currentContext = name
      session.saveConfigFile(next)
    }

    if (opts.oidc) {
      if (!tenant) throw noTenant()
      const oidc = await deviceLogin(await fetchOidcConfig(apiUrl), io)
      await ok(session.apiWithToken(oidc.idToken, apiUrl).GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } }))
      // One member credential per context: the sign-in replaces a saved API key.
      const { token: _replaced, ...kept } = existing ?? { name, apiUrl }
      save({ ...kept, name, apiUrl, tenant, oidc })
      out.done(`Logged in to ${apiUrl} as ${oidc.email} on tenant "${tenant}"; saved in context "${name}".`)
      return Exit.Ok
    }

    const token = (io.stdinIsTTY ? await io.promptSecret(opts.admin ? 'Admin token: ' : 'API key: ') : await io.readStdin()).trim()
    if (!token) throw usageError('no token given: pipe it on stdin or type it at the prompt')

    const client = session.apiWithToken(token, apiUrl)
    if (opts.admin) {
      await ok(client.GET('/api/v1/admin/tenants', { params: { query: { limit: 1 } } }))
    } else {
      if (!tenant) throw noTenant()
      await ok(client.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } }))
    }
    const { oidc: _replaced, ...kept } = existing ?? { name, apiUrl }
    save({
      ...(opts.admin ? existing : kept),
      name,
      apiUrl,
      ...(tenant ? { tenant } : {}),
      ...(opts.admin ? { adminToken: token } : { token }),
    })
    const who = opts.admin ? 'the platform admin' : `API key ${keyIdOf(token) ?? '(unrecognised format)'} on tenant "${tenant}"`
    out.done(`Logged in to ${apiUrl} as ${who}; saved in context "${name}".`)
    return Exit.Ok
  },
})
