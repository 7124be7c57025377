import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { publicRoute } from './access.js'

/** The console's views (one URL each, decision 0026): each answers with the same index.html. */
export const CONSOLE_VIEWS = [
  '/', '/signin', '/signin/callback', '/clusters', '/clusters/:name', '/secrets', '/vault', '/apikeys', '/members', '/invoices', '/plans', '/settings',
  '/admin', '/admin/tenants', '/admin/tenants/:name', '/admin/clusters', '/admin/clusters/:id',
] as const
/** Everything this plugin registers besides one route per file under /assets/: none of it is API. */
export const CONSOLE_ROUTES = [...CONSOLE_VIEWS, '/console/config.json'] as const

/**
 * Strict headers for the console's documents and assets: scripts and styles only from this
 * origin (the build emits no inline script), API calls to this origin and the OpenID issuer,
 * never framed (CSP frame-ancestors and X-Frame-Options), no referrer leaving the page.
 */
function securityHeaders(issuer: string | undefined): Record<string, string> {
  const connect = ["'self'", ...(issuer ? [new URL(issuer).origin] : [])].join(' ')
  return {
    'content-security-policy': [
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
      `connect-src ${connect}`, "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  }
}

/** The web console (decision 0026): static files built by `npm run build:console`, served at `/`. */
export const consoleRoutes = (c: Pick<AppDeps, 'config'>): FastifyPluginAsync => async (app) => {
  const { consoleDir, oidc, supportedVersions } = c.config
  const headers = securityHeaders(oidc?.issuer)
  const config = { access: publicRoute }
  const schema = { hide: true }
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(headers)
    return payload
  })

  app.get('/console/config.json', { config, schema }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache')
    return { versions: supportedVersions, ...(oidc ? { oidc: { issuer: oidc.issuer, clientId: oidc.clientId, audience: oidc.audience, scope: 'openid email' } } : {}) }
  })

  const built = existsSync(join(consoleDir, 'index.html'))
  if (built) {
    await app.register(fastifyStatic, {
      // Hashed names never change content; the build wrote .br and .gz beside each file. One
      // route per built file (no wildcard): nothing else under /assets/ is ever looked up on disk.
      root: join(consoleDir, 'assets'), prefix: '/assets/', wildcard: false, index: false, immutable: true, maxAge: '365d', preCompressed: true,
    })
  }
  const index = (reply: FastifyReply) => built
    ? reply.header('cache-control', 'no-cache').sendFile('index.html', consoleDir, { cacheControl: false })
    : reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build:console` (npm ci does it).\n')
  for (const path of CONSOLE_VIEWS) app.get(path, { config, schema }, async (_req, reply) => index(reply))
}
