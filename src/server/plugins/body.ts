import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errors } from '../../domain/errors.js'
import { addRouteHook, methodsOf } from '../route-hooks.js'
import { compileBodyValidator, nulField, type BodyValidator } from '../validation.js'

const MiB = 1024 * 1024
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** A DELETE whose route takes a body (only DELETE /tenants/{tenant}, as the Kupe CLI sends it). */
const takesBody = (method: string, config: { deleteBody?: boolean }) => WITH_BODY.has(method) || (method === 'DELETE' && config.deleteBody === true)

function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase()
}

function jsonTypesOf(config: { mergePatch?: boolean }): string[] {
  return config.mergePatch ? ['application/json', 'application/merge-patch+json'] : ['application/json']
}

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
  // Raw stream mode, so the media type is judged before the size (415 before 413, §1.9 step 10).
  app.addContentTypeParser('*', (req, payload, done) => {
    // Bodies sent with GET or DELETE, or to an unknown path or method, are ignored (§1.2): never
    // read into memory, so they cannot turn a 404, 405 or the real answer into a 413.
    const config = req.routeOptions.config ?? {}
    if (!takesBody(req.method, config) || req.is404) {
      payload.resume()
      done(null, undefined)
      return
    }
    if (!jsonTypesOf(config).includes(mediaTypeOf(req.headers['content-type']))) {
      payload.resume()
      done(errors.unsupportedMediaType(), undefined)
      return
    }
    const limit = req.routeOptions.bodyLimit ?? MiB
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    payload.on('data', (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > limit) {
        failed = true
        done(errors.bodyTooLarge(), undefined)
        return
      }
      chunks.push(chunk)
    })
    payload.on('end', () => {
      if (!failed) done(null, Buffer.concat(chunks).toString('utf8'))
    })
    payload.on('error', (err) => {
      if (!failed) done(err, undefined)
      failed = true
    })
  })

  const validators = new WeakMap<object, BodyValidator>()

  // Only routes that take a body get this step; the rest never read `req.body`.
  addRouteHook(app, 'preValidation', (route) => methodsOf(route).some((m) => takesBody(m, route.config ?? {})), async (req: FastifyRequest) => {
    const config = req.routeOptions.config ?? {}
    if (!takesBody(req.method, config)) {
      req.body = undefined
      return
    }
    const raw = typeof req.body === 'string' ? req.body : undefined
    const type = mediaTypeOf(req.headers['content-type'])
    const hasBody = raw !== undefined && raw.length > 0
    if (!hasBody && !req.headers['content-type']) {
      // No body at all: there is no media type to refuse, only a missing object (§1.2).
      if (config.optionalBody) {
        req.body = undefined
        return
      }
      throw errors.notAnObject()
    }
    if (!jsonTypesOf(config).includes(type)) throw errors.unsupportedMediaType()
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
    if (schema) {
      let validate = validators.get(schema)
      if (!validate) {
        validate = compileBodyValidator(schema as never, config.fieldPrefix ?? '')
        validators.set(schema, validate)
      }
      const problem = validate(parsed)
      if (problem) throw problem
    }
    const nul = nulField(parsed, config.fieldPrefix ?? '')
    if (nul) throw nul
  })
}
