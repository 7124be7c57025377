import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import { Provider, type KoaContextWithOIDC } from 'oidc-provider'

/**
 * A real OpenID Connect provider (`oidc-provider`, the certified Node implementation) on a
 * loopback port, with its development login form: any login is accepted as that account, whose
 * email is the login itself, verified unless the login starts with `unverified`.
 */
export interface TestOidcProvider {
  issuer: string
  /** Registers the console of `consoleUrl` as the public client `clientId` (PKCE, no secret). */
  configure(clientId: string, consoleUrl: string): Promise<void>
  stop(): Promise<void>
}

export async function startOidcProvider(): Promise<TestOidcProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = createServer((req, res) => {
    if (handler) return handler(req, res)
    res.writeHead(503).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    issuer,
    async configure(clientId, consoleUrl) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true })
      const jwk = { ...(await exportJWK(privateKey)), use: 'sig', alg: 'RS256', kid: 'test-key' }
      const provider = new Provider(issuer, {
        clients: [{
          client_id: clientId, token_endpoint_auth_method: 'none', application_type: 'web',
          redirect_uris: [`${consoleUrl}/signin/callback`], grant_types: ['authorization_code'], response_types: ['code'],
        }],
        jwks: { keys: [jwk] },
        cookies: { keys: ['kupe-test-cookie-key'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        // Put the scope's claims in the ID token itself, as Dex, Keycloak and Google do (the
        // library's default keeps them for userinfo when an access token is issued too).
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        findAccount: (_ctx: KoaContextWithOIDC, sub: string) => ({
          accountId: sub,
          claims: () => ({ sub, email: sub, email_verified: !sub.startsWith('unverified') }),
        }),
        // The consent step is the provider's, not Kupe's: grant the requested scopes at once.
        loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! })
          grant.addOIDCScope('openid email')
          await grant.save()
          return grant
        },
      })
      handler = provider.callback()
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
