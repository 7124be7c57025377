import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { keyIdOf } from '../framework/token.js'

export const authWhoami = defineCommand({
  path: ['auth', 'whoami'],
  summary: 'Show which server, tenant and key you are using, and your role',
  examples: ['kupe auth whoami', 'kupe auth whoami -o json'],
  async run({ session, out }) {
    const s = session.settings()
    const tenant = session.tenant()
    const api = session.api()
    await ok(api.GET('/api/v1/tenants/{tenant}', { params: { path: { tenant } } }))
    const keyId = keyIdOf(s.token ?? '')
    // Only admins may list keys (spec §2.5), so the answer tells the role; the list tells who made the key.
    const keys = await api.GET('/api/v1/tenants/{tenant}/apikeys', { params: { path: { tenant } } })
    const role = keys.response.status === 403 ? 'readonly' : 'admin'
    if (!keys.response.ok && keys.response.status !== 403) await ok(Promise.resolve(keys))
    const mine = keys.data?.items.find((k) => k.id === keyId)
    const me = {
      apiUrl: s.apiUrl,
      tenant,
      ...(s.context ? { context: s.context } : {}),
      ...(keyId ? { apiKey: keyId } : {}),
      ...(!s.token && s.oidc ? { member: s.oidc.email, signInExpiresAt: s.oidc.expiresAt } : {}),
      role,
      ...(mine ? { displayName: mine.displayName, createdBy: mine.createdBy } : {}),
      ...(mine?.expiresAt ? { expiresAt: mine.expiresAt } : {}),
      credentialFrom: s.sources.token === 'env' ? 'KUPE_API_TOKEN' : `config (${session.configPath}${!s.token && s.oidc ? ', single sign-on' : ''})`,
    }
    out.object(me, {
      id: (m) => m.apiKey ?? m.tenant,
      columns: [],
      details: (m) => [
        ['API URL', m.apiUrl],
        ['Tenant', m.tenant],
        ['Context', m.context],
        ['API key', m.apiKey],
        ['Member', m.member],
        ['Sign-in expires', m.signInExpiresAt],
        ['Key name', m.displayName],
        ['Role', m.role],
        ['Created by', m.createdBy],
        ['Expires', m.expiresAt ?? (mine ? 'never' : undefined)],
        ['Credential from', m.credentialFrom],
      ],
    })
    return Exit.Ok
  },
})
