import type { FastifyInstance } from 'fastify'
import { errors } from '../../domain/errors.js'
import { compileBodyValidator, type BodyValidator } from '../validation.js'

const MiB = 1024 * 1024
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

declare module 'fastify' {
  interface FastifyRequest {
    /** Raw body text as received, for idempotency fingerprints. */
    rawBody?: string
  }
}

/**
 * Bodies (spec §1.2): JSON only, 1 MiB (2 MiB for vault writes), one JSON object, then the
 * operation's schema. The parser accepts every content type so that the 415 decision happens
 * here, in spec order, rather than inside Fastify before authentication.
 */
export function installBodyHandling(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  const validators = new WeakMap<object, BodyValidator>()

  app.addHook('preValidation', async (req) => {
    if (req.is404) return
    if (!WITH_BODY.has(req.method)) {
      req.body = undefined
      return
    }
    const config = req.routeOptions.config ?? {}
    const raw = typeof req.body === 'string' ? req.body : undefined
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    const hasBody = raw !== undefined && raw.length > 0
    if (!hasBody && config.optionalBody && !req.headers['content-type']) {
      req.body = undefined
      return
    }
    const jsonTypes = config.mergePatch ? ['application/json', 'application/merge-patch+json'] : ['application/json']
    if (!jsonTypes.includes(type)) throw errors.unsupportedMediaType()
    const limit = req.routeOptions.bodyLimit ?? MiB
    if (raw !== undefined && Buffer.byteLength(raw) > limit) throw errors.bodyTooLarge()
    if (!hasBody) {
      if (config.optionalBody) {
        req.body = undefined
        return
      }
      throw errors.notAnObject()
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw errors.malformedJson()
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.notAnObject()
    req.rawBody = raw
    req.body = parsed
    const schema = req.routeOptions.schema?.body as object | undefined
    if (!schema) return
    let validate = validators.get(schema)
    if (!validate) {
      validate = compileBodyValidator(schema as never, config.fieldPrefix ?? '')
      validators.set(schema, validate)
    }
    const problem = validate(parsed)
    if (problem) throw problem
  })
}
