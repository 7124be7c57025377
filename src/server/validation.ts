import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { TSchema } from '@sinclair/typebox'
import { errors, type KupeError } from '../domain/errors.js'
import { MAX_BYTES, MAX_CPU_CORES, parseQuantity } from '../domain/common/quantity.js'
import { isDnsSubdomain, isEmail, isVaultPath, NONBLANK_TEXT, NO_CONTROL_CHARACTERS } from '../domain/common/names.js'
import { parseRfc3339 } from '../lib/time.js'

/**
 * Body validation with the spec's error shapes (§1.2, §3.3): unknown fields first, then missing
 * ones, then invalid values, each in document order. Fastify's own validator is switched off so
 * that this runs after authentication, path and body-parsing checks (§1.9).
 */
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false })
addFormats.default(ajv, ['date-time', 'uuid'])
ajv.addFormat('quantity', (v: string) => parseQuantity(v) !== undefined && parseQuantity(v)!.gt(0))
ajv.addFormat('cpu-quantity', (v: string) => {
  const q = parseQuantity(v)
  return q !== undefined && q.gt(0) && q.lte(MAX_CPU_CORES)
})
ajv.addFormat('bytes-quantity', (v: string) => {
  const q = parseQuantity(v)
  return q !== undefined && q.gt(0) && q.lte(MAX_BYTES)
})
ajv.addFormat('kupe-email', isEmail)
ajv.addFormat('dns-subdomain', isDnsSubdomain)
ajv.addFormat('vault-path', isVaultPath)
ajv.addFormat('rfc3339', (v: string) => parseRfc3339(v) !== undefined)
ajv.addFormat('display-name', new RegExp(NO_CONTROL_CHARACTERS, 'u'))
ajv.addFormat('display-name-nonblank', new RegExp(NONBLANK_TEXT, 'u'))
ajv.addKeyword({
  keyword: 'maxJsonBytes',
  type: 'object',
  schemaType: 'number',
  validate: (max: number, data: unknown) => Buffer.byteLength(JSON.stringify(data)) <= max,
  error: { message: (cxt) => `must be at most ${String(cxt.schema)} bytes when serialized` },
})

const REASONS: Record<string, (e: ErrorObject) => string> = {
  type: (e) => `must be ${String(e.params.type).replace(',', ' or ')}`,
  enum: (e) => `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`,
  format: (e) => FORMAT_REASONS[String(e.params.format)] ?? 'has an invalid format',
  pattern: () => 'has an invalid format',
  minLength: (e) => `must be at least ${String(e.params.limit)} characters`,
  maxLength: (e) => `must be at most ${String(e.params.limit)} characters`,
  minimum: (e) => `must be at least ${String(e.params.limit)}`,
  maximum: (e) => `must be at most ${String(e.params.limit)}`,
  maxItems: (e) => `must have at most ${String(e.params.limit)} items`,
}

const FORMAT_REASONS: Record<string, string> = {
  quantity: 'must be a Kubernetes quantity greater than zero',
  'cpu-quantity': 'must be a CPU quantity greater than zero and at most 10000 cores',
  'bytes-quantity': 'must be a quantity greater than zero and at most 1Pi',
  uuid: 'must be a UUID',
  'kupe-email': 'must be a valid email address',
  'dns-subdomain': 'must be a DNS-1123 subdomain',
  'vault-path': 'must be a valid vault path',
  rfc3339: 'must be an RFC 3339 timestamp',
  'display-name': 'must not contain control characters',
  'display-name-nonblank': 'must not be blank or contain control characters',
}

const KEY_REASON = 'key must be 1-253 characters of letters, digits, "-", "_" and "."'

/** JSON pointer → the spec's field path: `sync[2].namespace`. */
function toFieldPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (extra !== undefined) parts.push(extra)
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '')
}

/** Position of every path in the body, in document order, so errors can be sorted like the body. */
function documentOrder(value: unknown, prefix = '', out = new Map<string, number>()): Map<string, number> {
  out.set(prefix, out.size)
  if (Array.isArray(value)) value.forEach((v, i) => documentOrder(v, `${prefix}[${i}]`, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) documentOrder(v, prefix ? `${prefix}.${k}` : k, out)
  }
  return out
}

const RANK = { UNKNOWN_FIELD: 0, REQUIRED_FIELD: 1, INVALID_FIELD: 2 } as const

/**
 * Keywords the OpenAPI document states but the services answer with the spec's own errors:
 * `minProperties` on PATCH bodies (REQUIRED_FIELD "At least one of …") and `not` on immutable
 * fields (IMMUTABLE_FIELD).
 */
const ANSWERED_BY_SERVICE = new Set(['minProperties', 'not'])

/**
 * PostgreSQL text cannot hold U+0000, so no string of a request may (checked after the schema,
 * for every body): the field path of the first key or value that has one.
 */
function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findNul(v, `${path}[${i}]`)
      if (found !== undefined) return found
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = path ? `${path}.${k}` : k
      if (k.includes('\u0000')) return key
      const found = findNul(v, key)
      if (found !== undefined) return found
    }
  }
  return undefined
}

export function nulField(body: unknown, fieldPrefix: string): KupeError | undefined {
  const path = findNul(body)
  return path === undefined ? undefined : errors.invalidField(path, fieldPrefix + path, 'must not contain NUL characters')
}

export type BodyValidator = (body: unknown) => KupeError | undefined

/** Compiles a TypeBox schema into a validator that returns the first error as the spec orders them. */
export function compileBodyValidator(schema: TSchema, fieldPrefix = ''): BodyValidator {
  const validate: ValidateFunction = ajv.compile(schema)
  return (body) => {
    if (validate(body)) return undefined
    const raised = (validate.errors ?? []).filter((e) => !ANSWERED_BY_SERVICE.has(e.keyword))
    if (raised.length === 0) return undefined
    const order = documentOrder(body)
    const found = raised
      .filter((e) => !['anyOf', 'oneOf', 'if', 'propertyNames'].includes(e.keyword))
      .map((e) => {
        if (e.propertyName !== undefined) {
          // A key that breaks `propertyNames` (vault data keys): the field is the key itself.
          const path = toFieldPath(e.instancePath, e.propertyName)
          return { rank: RANK.INVALID_FIELD, pos: order.get(path) ?? 0, err: errors.invalidField(path, fieldPrefix + path, KEY_REASON) }
        }
        if (e.keyword === 'additionalProperties') {
          const path = toFieldPath(e.instancePath, String(e.params.additionalProperty))
          return { rank: RANK.UNKNOWN_FIELD, pos: order.get(path) ?? 0, err: errors.unknownField(path, fieldPrefix + path) }
        }
        if (e.keyword === 'required') {
          const path = toFieldPath(e.instancePath, String(e.params.missingProperty))
          return { rank: RANK.REQUIRED_FIELD, pos: 0, err: errors.requiredField(path, fieldPrefix + path) }
        }
        const path = toFieldPath(e.instancePath)
        const reason = (REASONS[e.keyword] ?? ((x: ErrorObject) => x.message ?? 'is invalid'))(e)
        return { rank: RANK.INVALID_FIELD, pos: order.get(path) ?? 0, err: errors.invalidField(path, fieldPrefix + path, reason) }
      })
      .sort((a, b) => a.rank - b.rank || a.pos - b.pos)
    return found[0]?.err ?? errors.invalidField('', fieldPrefix, 'is invalid')
  }
}
