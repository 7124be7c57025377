import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../container.js'
import { errors } from '../../domain/errors.js'
import { pingDatabase } from '../../store/connect.js'
import { API_VERSION } from '../app.js'
import { responses } from './shared-schemas.js'

const Status = Type.Object({ status: Type.Literal('ok') })
const Version = Type.Object({ version: Type.String(), apiVersion: Type.String(), database: Type.String(), provider: Type.String() })
const Metrics = Type.Unsafe<string>({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
const OpenApi = Type.Object({ openapi: Type.String() }, { additionalProperties: true, description: 'OpenAPI 3.1 document' })

/** Public system routes (spec §7 item 9); rate limited like everything else. */
export const systemRoutes = (c: Container) => async (app: FastifyInstance) => {
  const pub = { access: { kind: 'public' as const } }
  app.get('/healthz', { config: pub, schema: { tags: ['system'], summary: 'Liveness', response: responses('public', { 200: Status }) } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { config: pub, schema: { tags: ['system'], summary: 'Readiness (database reachable)', response: responses('public', { 200: Status }, [503]) } }, async () => {
    if (!(await pingDatabase(c.db))) throw errors.unavailable()
    return { status: 'ok' }
  })
  app.get('/version', { config: pub, schema: { tags: ['system'], summary: 'Build metadata', response: responses('public', { 200: Version }) } }, async () => ({
    version: API_VERSION,
    apiVersion: 'v1',
    database: c.engine,
    provider: c.provider.name,
  }))
  app.get('/metrics', { config: pub, schema: { tags: ['system'], summary: 'Prometheus metrics', response: responses('public', { 200: Metrics }) } }, async (_req, reply) => {
    return reply.type(c.metrics.contentType).send(await c.metrics.metrics())
  })
  app.get('/api/v1/openapi.json', { config: pub, schema: { tags: ['system'], summary: 'This OpenAPI document', response: responses('public', { 200: OpenApi }) } }, async () =>
    app.swagger(),
  )
}
