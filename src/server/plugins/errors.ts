import type { FastifyError, FastifyInstance } from 'fastify'
import FindMyWay from 'find-my-way'
import { errors, KupeError } from '../../domain/errors.js'
import { hasEmptyParam } from './path-params.js'

/** Fastify's own failures that have a spec meaning. */
const FASTIFY_ERRORS: Record<string, () => KupeError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: errors.bodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: errors.unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: errors.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: errors.notAnObject,
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The only place errors become HTTP bodies (spec §3.1). Unknown errors are logged with the
 * request id and hidden behind a plain 500. Unknown paths → 404; known path, other method → 405.
 */
export function installErrorHandling(app: FastifyInstance): void {
  const router = FindMyWay({ ignoreTrailingSlash: false })
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD')
    for (const m of methods) {
      if (!router.find(m as 'GET', route.url)) router.on(m as 'GET', route.url, () => undefined)
    }
  })

  // `POST /clusters/` is an unknown path (404), not the `/clusters/:name` route with another method (405).
  const routed = (method: (typeof METHODS)[number], path: string) => {
    const match = router.find(method, path)
    return match !== null && !hasEmptyParam(match.params)
  }

  app.setNotFoundHandler(async (req) => {
    const path = req.url.split('?')[0] ?? ''
    const allowed = METHODS.filter((m) => routed(m, path))
    if (allowed.length > 0) throw errors.methodNotAllowed(allowed.join(', '))
    throw errors.notFound()
  })

  app.setErrorHandler(async (error: FastifyError | KupeError, req, reply) => {
    const known =
      error instanceof KupeError ? error : error.code && FASTIFY_ERRORS[error.code] ? FASTIFY_ERRORS[error.code]!() : undefined
    if (!known) {
      req.log.error({ err: error, reqId: req.id }, 'unhandled error')
      return reply.code(500).send({ error: 'Internal server error' })
    }
    const body: Record<string, string> = { error: known.message }
    if (known.code) {
      body.code = known.code
      body.severity = 'error'
      body.message = known.message
      if (known.field) body.field = known.field
    }
    return reply.code(known.status).headers(known.headers).send(body)
  })
}
