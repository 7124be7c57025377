import swagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Logger } from 'pino'
import type { AppDeps } from './app-deps.js'
import { API_VERSION } from './api-version.js'
import './route-config.js'
import { installAuth } from './plugins/auth.js'
import { installBodyHandling } from './plugins/body.js'
import { installConditionalResponses } from './plugins/conditional.js'
import { installErrorHandling } from './plugins/errors.js'
import { installIdempotency } from './plugins/idempotency.js'
import { installMetrics } from './plugins/metrics.js'
import { installRateLimit } from './plugins/rate-limit.js'
import { requestIdOf } from './plugins/request-id.js'
import { toJson } from '../lib/shared-value.js'
import { errors } from '../domain/errors.js'
import { lazyChildLogger } from './lazy-child-logger.js'
import { documentRoute, finishDocument } from './openapi-transform.js'
import { escapeBrokenPercents } from './url-escapes.js'
import { adminRoutes } from './routes/admin/index.js'
import { consoleRoutes } from './routes/console.js'
import { kubeopRoutes } from './routes/kubeop/index.js'
import { sharedSchemas } from './routes/shared-schemas.js'
import { systemRoutes } from './routes/system.js'
import { tenantRoutes } from './routes/tenant/index.js'
import { tokenReviewRoutes } from './routes/internal/token-review.js'

/**
 * The app factory: shared schemas, the request pipeline in spec order (§1.9), and the route
 * groups. Returns the instance unstarted; `main.ts` listens, tests may too.
 */
export async function buildApp(container: AppDeps & { logger: Logger }): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: container.logger as FastifyBaseLogger,
    genReqId: requestIdOf,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: 1024 * 1024,
    // No parameter is too long for the router: each reaches its own check (400 or 404), and
    // Node's 16 KiB header limit bounds the whole URL anyway.
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 16 * 1024 },
    // What the router itself refuses (a URL it cannot decode) gets our error body too.
    frameworkErrors: (_error, _req, reply) => {
      void (reply as FastifyReply).code(400).send({ error: errors.invalidRequest(400).message })
    },
    return503OnClosing: true,
    rewriteUrl: escapeBrokenPercents,
  })
  // Validation runs in our own preValidation hook, after auth and in the spec's order; Fastify
  // schemas are kept for the OpenAPI document. Serialization is plain JSON so that omitted
  // optional fields stay omitted exactly.
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => toJson)

  for (const schema of sharedSchemas) app.addSchema(schema)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Kupe API', version: API_VERSION, description: 'Kupe tenant, admin and system API' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Tenant API key (kupe_…)' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'Platform admin token' },
          jwt: {
            type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
            description: 'HS256 JWT signed with KUPE_JWT_SIGNING_KEY: role admin, or tenant/project with scope tenant:<id> / project:<id>',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: documentRoute,
    transformObject: finishDocument({ supportedVersions: container.config.supportedVersions }) as never,
  })

  installRateLimit(app, container.config)
  installErrorHandling(app)
  installAuth(app, container)
  installBodyHandling(app)
  installIdempotency(app, container)
  installConditionalResponses(app)
  installMetrics(app, container.metrics, container.clock)

  await app.register(systemRoutes(container))
  await app.register(tenantRoutes(container), { prefix: '/api/v1' })
  await app.register(adminRoutes(container), { prefix: '/api/v1/admin' })
  await app.register(kubeopRoutes(container))
  await app.register(tokenReviewRoutes(container))
  await app.register(consoleRoutes(container))
  return app
}
