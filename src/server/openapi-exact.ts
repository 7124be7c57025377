import { API_KEY_ID, CREDENTIAL_ID, DNS_LABEL, DNS_SUBDOMAIN, INVOICE_NAME, SUPPORTED_VERSION, EMAIL, EMAIL_MAX, NONBLANK_TEXT, NO_CONTROL_CHARACTERS, VAULT_PATH, VAULT_PATH_MAX } from '../domain/common/names.js'
import { QUANTITY } from '../domain/common/quantity.js'
import type { PathParamKind } from './plugins/path-params.js'

/**
 * The OpenAPI document states exactly what the server enforces
 * (docs/decisions/0022-fuzzing-the-api.md). Applied to the whole document, so routes added later
 * inherit it without doing anything.
 */

type Schema = Record<string, unknown>

/** No string of a request may hold U+0000 (PostgreSQL text cannot store it). */
const NUL_FREE = '^[^\\u0000]*$'

/**
 * The server's own formats, each documented as standard JSON Schema: a pattern and length where
 * the rule is one, `date-time` for RFC 3339. The two quantity formats keep their name, defined
 * in their description: a range over a numeric grammar is no pattern (a pattern for the syntax
 * alone would state values the server refuses).
 */
const FORMATS: Record<string, Schema> = {
  'display-name': { pattern: NO_CONTROL_CHARACTERS },
  'display-name-nonblank': { pattern: NONBLANK_TEXT },
  'dns-subdomain': { pattern: DNS_SUBDOMAIN, maxLength: 253 },
  'vault-path': { pattern: VAULT_PATH, maxLength: VAULT_PATH_MAX },
  'kupe-email': { pattern: EMAIL, maxLength: EMAIL_MAX },
  rfc3339: { format: 'date-time' },
  'cpu-quantity': { format: 'cpu-quantity', description: `Kubernetes quantity (${QUANTITY}) greater than zero and at most 10000 cores, e.g. "4" or "500m"` },
  'bytes-quantity': { format: 'bytes-quantity', description: `Kubernetes quantity (${QUANTITY}) greater than zero and at most 1Pi bytes, e.g. "16Gi"` },
}

/** What each checked path parameter kind accepts (src/server/plugins/path-params.ts). */
export const PATH_PARAMS: Record<PathParamKind, Schema> = {
  name: { type: 'string', pattern: DNS_LABEL, minLength: 2, maxLength: 63 },
  tenantName: { type: 'string', pattern: DNS_LABEL, minLength: 2, maxLength: 63 },
  planName: { type: 'string', pattern: DNS_LABEL, minLength: 1, maxLength: 63 },
  email: { type: 'string', pattern: EMAIL, maxLength: EMAIL_MAX },
  apiKeyId: { type: 'string', pattern: API_KEY_ID },
  credentialId: { type: 'string', pattern: CREDENTIAL_ID },
  vaultPath: { type: 'string', pattern: VAULT_PATH, maxLength: VAULT_PATH_MAX },
  invoiceName: { type: 'string', pattern: INVOICE_NAME },
  uuid: { type: 'string', format: 'uuid' },
}

const JSON_VALUE = 'JsonValue'
const JSON_VALUE_REF = `#/components/schemas/${JSON_VALUE}`
/** Any JSON value without U+0000 in its strings and keys: what a free-form field accepts. */
const JsonValue: Schema = {
  description: 'Any JSON value whose strings and keys hold no U+0000',
  anyOf: [
    { type: 'string', pattern: NUL_FREE },
    { type: ['number', 'boolean', 'null'] },
    { type: 'array', items: { $ref: JSON_VALUE_REF } },
    { type: 'object', propertyNames: { pattern: NUL_FREE }, additionalProperties: { $ref: JSON_VALUE_REF } },
  ],
}

const has = (s: Schema, type: string) => s.type === type || (Array.isArray(s.type) && s.type.includes(type))
const COMPOSITE = ['$ref', 'type', 'anyOf', 'oneOf', 'allOf', 'not', 'enum', 'const']
/** `{}` or only annotations: any value at all. */
const isUnconstrained = (s: Schema) => !COMPOSITE.some((k) => k in s)

/** What the document is made exact with: the server's configuration where a rule depends on it. */
export interface ExactOptions {
  supportedVersions: readonly string[]
}

function exactSchema(s: Schema, o: ExactOptions): void {
  // The marker stays: a client generated from the document knows the list is this server's.
  // 'or-empty': a PATCH's "" (unchanged, decision 0019) is one of the values too.
  if (s[SUPPORTED_VERSION]) s.enum = [...o.supportedVersions, ...(s[SUPPORTED_VERSION] === 'or-empty' ? [''] : [])]
  if (isUnconstrained(s)) {
    s.$ref = JSON_VALUE_REF
    return
  }
  const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined
  if (format) {
    delete s.format
    const { description, ...rest } = format
    Object.assign(s, rest)
    // The format's definition replaces a description that only named an example.
    if (description !== undefined) s.description = description
  }
  if (has(s, 'string') && s.pattern === undefined && s.enum === undefined && s.const === undefined && s.format === undefined) {
    s.pattern = NUL_FREE
  }
  if (has(s, 'object')) {
    if (s.propertyNames === undefined && s.additionalProperties !== false) s.propertyNames = { pattern: NUL_FREE }
    if (s.additionalProperties === undefined || s.additionalProperties === true) s.additionalProperties = { $ref: JSON_VALUE_REF }
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const sub = s[key]
    if (sub && typeof sub === 'object' && !Array.isArray(sub)) exactSchema(sub as Schema, o)
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    for (const sub of Object.values((s[key] ?? {}) as Record<string, Schema>)) exactSchema(sub, o)
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    for (const sub of (s[key] ?? []) as Schema[]) exactSchema(sub, o)
  }
}

type Media = { schema?: Schema }
type Operation = {
  parameters?: Array<{ schema?: Schema }>
  requestBody?: { content?: Record<string, Media> }
  responses?: Record<string, { content?: Record<string, Media>; headers?: Record<string, { schema?: Schema }> }>
}
type Document = { paths?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, Schema> } }

/**
 * Every schema of the document in place: components (but `Error`, whose messages may quote what
 * the client sent), parameters, bodies, responses; adds the `JsonValue` component they use.
 */
export function documentExactly(doc: Document, o: ExactOptions): void {
  const schemas = (doc.components ??= {}).schemas ??= {}
  for (const [name, schema] of Object.entries(schemas)) if (name !== 'Error') exactSchema(schema, o)
  schemas[JSON_VALUE] = JsonValue
  for (const item of Object.values(doc.paths ?? {})) {
    for (const value of Object.values(item)) {
      if (!value || typeof value !== 'object') continue
      const op = value as Operation
      for (const p of op.parameters ?? []) if (p.schema) exactSchema(p.schema, o)
      for (const m of Object.values(op.requestBody?.content ?? {})) if (m.schema) exactSchema(m.schema, o)
      for (const r of Object.values(op.responses ?? {})) {
        for (const m of Object.values(r.content ?? {})) if (m.schema) exactSchema(m.schema, o)
        for (const h of Object.values(r.headers ?? {})) if (h.schema) exactSchema(h.schema, o)
      }
    }
  }
}
