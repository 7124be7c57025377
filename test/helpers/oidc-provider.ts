import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import { Provider, type KoaContextWithOIDC } from 'oidc-provider'

/** Settings of the device flow (RFC 8628) that a test changes between sign-ins; read on every request. */
export interface DeviceFlowKnobs {
  /** The `interval` (s) the device authorization response announces; none (clients then use 5 s) when undefined. */
  interval?: number
  /** Lifetime of a device code (s). */
  deviceCodeTtl: number
  /** Lifetime of an ID token (s). */
  idTokenTtl: number
  /**
   * Answer this many token requests with `slow_down` first. oidc-provider does not throttle
   * polling itself; this stands for an issuer that does (RFC 8628 §3.5).
   */
  slowDowns: number
  /** Issue a refresh token when `offline_access` is asked for. */
  refreshTokens: boolean
}

/**
 * A real OpenID Connect provider (`oidc-provider`, the certified Node implementation) on a
 * loopback port, with its development login form: any login is accepted as that account, whose
 * email is the login itself, verified unless the login starts with `unverified`. The device flow
 * is on, with the provider's own user-code pages at `/device`.
 */
export interface TestOidcProvider {
  issuer: string
  device: DeviceFlowKnobs
  /** When each POST /token came in (ms since the epoch): how a client polls. */
  tokenRequestTimes: number[]
  /**
   * Registers the console of `consoleUrl` as the public client `clientId` (PKCE, no secret); the
   * CLI's device-code sign-in and refresh use the same client.
   */
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
  const device: DeviceFlowKnobs = { deviceCodeTtl: 600, idTokenTtl: 3600, slowDowns: 0, refreshTokens: true }
  const tokenRequestTimes: number[] = []
  return {
    issuer,
    device,
    tokenRequestTimes,
    async configure(clientId, consoleUrl) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true })
      const jwk = { ...(await exportJWK(privateKey)), use: 'sig', alg: 'RS256', kid: 'test-key' }
      const provider = new Provider(issuer, {
        clients: [{
          client_id: clientId, token_endpoint_auth_method: 'none', application_type: 'web',
          redirect_uris: [`${consoleUrl}/signin/callback`], post_logout_redirect_uris: [`${consoleUrl}/signin`], response_types: ['code'],
          grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        }],
        features: { deviceFlow: { enabled: true } },
        ttl: { DeviceCode: () => device.deviceCodeTtl, IdToken: () => device.idTokenTtl },
        issueRefreshToken: async (_ctx: KoaContextWithOIDC, client, code) =>
          device.refreshTokens && client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
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
          grant.addOIDCScope('openid email offline_access')
          await grant.save()
          return grant
        },
      })
      // oidc-provider announces no `interval`; the response object is still ours to add one to.
      provider.on('device_authorization.success', (_ctx: KoaContextWithOIDC, body: Record<string, unknown>) => {
        if (device.interval !== undefined) body.interval = device.interval
      })
      provider.use(async (ctx, next) => {
        if (ctx.method === 'POST' && ctx.path === '/token') {
          tokenRequestTimes.push(Date.now())
          if (device.slowDowns > 0) {
            device.slowDowns--
            ctx.status = 400
            ctx.body = { error: 'slow_down', error_description: 'polling too fast' }
            return
          }
        }
        await next()
      })
      handler = provider.callback()
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
