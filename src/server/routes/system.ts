import type { FastifyInstance } from 'fastify'
import type { Container } from '../../container.js'
import { errors } from '../../domain/errors.js'
import { pingDatabase } from '../../store/connect.js'
import { API_VERSION } from '../app.js'

/** Public system routes (spec §7 item 9); rate limited like everything else. */
export const systemRoutes = (c: Container) => async (app: FastifyInstance) => {
  const pub = { access: { kind: 'public' as const } }
  app.get('/healthz', { config: pub, schema: { tags: ['system'], summary: 'Liveness' } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { config: pub, schema: { tags: ['system'], summary: 'Readiness (database reachable)' } }, async () => {
    if (!(await pingDatabase(c.db))) throw errors.unavailable()
    return { status: 'ok' }
  })
  app.get('/version', { config: pub, schema: { tags: ['system'], summary: 'Build metadata' } }, async () => ({
    version: API_VERSION,
    apiVersion: 'v1',
    database: c.engine,
    provider: c.config.provider,
  }))
  app.get('/metrics', { config: pub, schema: { tags: ['system'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    return reply.type(c.metrics.contentType).send(await c.metrics.metrics())
  })
  app.get('/api/v1/openapi.json', { config: pub, schema: { tags: ['system'], summary: 'This OpenAPI document' } }, async () =>
    app.swagger(),
  )
}
