import type { TSchema } from '@sinclair/typebox'

/** An OpenAPI v3 schema as the API server reads it (wire names: `enum`, `x-kubernetes-…`). */
export type StructuralSchema = { [keyword: string]: unknown }

/**
 * Kubernetes' quantity grammar (k8s.io/apimachinery resource.Quantity), for the domain's
 * `cpu-quantity` and `bytes-quantity` formats, which only Kupe's own validator knows.
 */
const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$'
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'

/** Kupe formats the API server does not know, as the pattern (and length) that says the same. */
const FORMAT_AS_PATTERN: Record<string, { pattern: string; maxLength?: number }> = {
  'cpu-quantity': { pattern: QUANTITY },
  'bytes-quantity': { pattern: QUANTITY },
  'dns-subdomain': { pattern: DNS_SUBDOMAIN, maxLength: 253 },
}
/** Formats kube-apiserver validates itself. */
const KUBERNETES_FORMATS = new Set(['uuid', 'date-time', 'date', 'hostname', 'ipv4', 'ipv6', 'cidr', 'byte', 'int32', 'int64'])

/** Keywords copied as they are: OpenAPI v3 validation every structural schema may carry. */
const COPIED = ['type', 'description', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'default', 'nullable'] as const
/** Keywords a CRD schema has no use for (TypeBox bookkeeping, documentation-only). */
const DROPPED = new Set(['$id', 'title', 'examples'])

/**
 * A TypeBox schema as a CRD's structural OpenAPI v3 schema (apiextensions.k8s.io/v1): every
 * node typed, `properties` without `additionalProperties: false` (the API server prunes unknown
 * fields instead), Kupe's custom formats as patterns, `x-kubernetes-*` extensions kept. Anything
 * that would weaken validation silently — `$ref`, unions, unknown keywords — throws, so a schema
 * change that cannot be expressed fails the build's tests rather than the cluster.
 */
export function toStructuralSchema(schema: TSchema, path = '$'): StructuralSchema {
  const src = schema as Record<string, unknown>
  const out: StructuralSchema = {}
  for (const key of Object.keys(src)) {
    if (DROPPED.has(key) || (COPIED as readonly string[]).includes(key) || key.startsWith('x-kubernetes-')) continue
    if (key === 'properties' || key === 'items' || key === 'required' || key === 'format' || key === 'additionalProperties') continue
    throw new Error(`${path}: "${key}" cannot be expressed in a structural CRD schema`)
  }
  if (src.type === undefined && src['x-kubernetes-int-or-string'] !== true && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    throw new Error(`${path}: a structural schema needs a type at every node`)
  }
  for (const key of COPIED) if (src[key] !== undefined) out[key] = src[key]
  for (const [key, value] of Object.entries(src)) if (key.startsWith('x-kubernetes-')) out[key] = value
  if (typeof src.format === 'string') {
    const asPattern = FORMAT_AS_PATTERN[src.format]
    if (asPattern) Object.assign(out, asPattern)
    else if (KUBERNETES_FORMATS.has(src.format)) out.format = src.format
    else throw new Error(`${path}: format "${src.format}" is unknown to kube-apiserver and has no pattern here`)
  }
  const properties = src.properties as Record<string, TSchema> | undefined
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toStructuralSchema(v, `${path}.${k}`)]))
    if (Array.isArray(src.required) && src.required.length > 0) out.required = [...(src.required as string[])]
  } else if (src.additionalProperties && typeof src.additionalProperties === 'object') {
    out.additionalProperties = toStructuralSchema(src.additionalProperties as TSchema, `${path}.*`)
  }
  if (src.items) {
    if (Array.isArray(src.items)) throw new Error(`${path}: tuple items cannot be expressed in a structural CRD schema`)
    out.items = toStructuralSchema(src.items as TSchema, `${path}[]`)
  }
  return out
}
