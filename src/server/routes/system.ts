import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors } from '../../domain/errors.js'
import { isReady } from '../../domain/system/readiness.js'
import type { AppDeps } from '../app-deps.js'
import { API_VERSION } from '../api-version.js'
import { publicRoute } from './access.js'
import { responses } from './shared-schemas.js'

const tags = ['system']
const config = { access: publicRoute }
const Status = Type.Object({ status: Type.Literal('ok') })
const Version = Type.Object({ version: Type.String(), apiVersion: Type.String(), database: Type.String(), provider: Type.String() })
const Metrics = Type.Unsafe<string>({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
const OpenApi = Type.Object({ openapi: Type.String() }, { additionalProperties: true, description: 'OpenAPI 3.1 document' })

/** Public system routes (spec §7 item 9); rate limited like everything else. */
export const systemRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/healthz', { config, schema: { tags, summary: 'Liveness', response: responses('public', { 200: Status }) } }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', { config, schema: { tags, summary: 'Readiness (database reachable)', response: responses('public', { 200: Status }, [503]) } }, async () => {
    if (!(await isReady(c))) throw errors.unavailable()
    return { status: 'ok' as const }
  })

  app.get('/version', { config, schema: { tags, summary: 'Build metadata', response: responses('public', { 200: Version }) } }, async () => ({
    version: API_VERSION, apiVersion: 'v1', database: c.engine, provider: c.provider.name,
  }))

  app.get('/metrics', { config, schema: { tags, summary: 'Prometheus metrics', response: responses('public', { 200: Metrics }) } }, async (_req, reply) =>
    reply.type(c.metrics.contentType).send(await c.metrics.metrics()))

  app.get('/api/v1/openapi.json', { config, schema: { tags, summary: 'This OpenAPI document', response: responses('public', { 200: OpenApi }) } }, async () =>
    app.swagger())
}
