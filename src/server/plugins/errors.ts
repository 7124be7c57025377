import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import FindMyWay from 'find-my-way'
import { errors, KupeError } from '../../domain/errors.js'
import { DatabaseUnavailable } from '../../lib/database-unavailable.js'
import { hasEmptyParam } from './path-params.js'

/** Fastify's own failures that have a spec meaning. */
const FASTIFY_ERRORS: Record<string, () => KupeError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: errors.bodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: errors.unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: errors.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: errors.notAnObject,
}

/**
 * Any other failure Fastify attributes to the client (a 4xx `statusCode` on its own errors) keeps
 * its status with our error body, so a client's bytes never turn into a 500.
 */
function clientError(error: FastifyError): KupeError | undefined {
  const status = error.statusCode
  if (!error.code?.startsWith('FST_') || status === undefined || status < 400 || status > 499) return undefined
  return errors.invalidRequest(status)
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

  const unrouted = (url: string): KupeError => {
    const path = url.split('?')[0] ?? ''
    const allowed = METHODS.filter((m) => routed(m, path))
    return allowed.length > 0 ? errors.methodNotAllowed(allowed.join(', ')) : errors.notFound()
  }

  app.setNotFoundHandler(async (req) => {
    throw unrouted(req.url)
  })

  const knownError = (error: FastifyError | KupeError, req: FastifyRequest): KupeError | undefined => {
    if (error instanceof KupeError) return error
    if (error instanceof DatabaseUnavailable) {
      req.log.warn({ err: error.cause, reqId: req.id }, 'no database connection in time')
      return errors.databaseBusy()
    }
    // A request no route takes (an unknown method such as QUERY, whose missing Content-Type
    // Fastify refuses before the not-found handler runs) is answered as unrouted: 404 or 405.
    if (req.is404) return unrouted(req.url)
    const mapped = error.code ? FASTIFY_ERRORS[error.code] : undefined
    return mapped ? mapped() : clientError(error)
  }

  app.setErrorHandler(async (error: FastifyError | KupeError, req, reply) => {
    const known = knownError(error, req)
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
