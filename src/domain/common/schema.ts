import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox'
import { DNS_LABEL, INVOICE_NAME, VAULT_PATH_MAX, VAULT_PREFIX } from './names.js'

/**
 * Schemas shared by several resources. Each is defined once here (STYLE rule 4); resources
 * reference the named ones through `ref()` so OpenAPI shows one component.
 */

/** A `$ref` to a named schema that keeps its static type (TypeBox 0.34's `Ref(string)` is `unknown`). */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

/** A string enum, documented as `enum` (clients generate a union from it). */
export const stringEnum = <T extends string>(values: readonly T[], options: { description?: string; $id?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options })

/**
 * An integer query parameter. Its value reaches the handler as the string that was sent (the
 * domain parses it with the spec's errors), so its static type is `string`.
 */
export const queryInteger = (options: { minimum?: number; maximum?: number; description?: string }) =>
  Type.Unsafe<string>({ type: 'integer', ...options })

/**
 * A field a PATCH schema names only so that the service answers IMMUTABLE_FIELD rather than
 * UNKNOWN_FIELD: `not: {}` tells clients no value is ever accepted (the body validator leaves
 * the refusal to the service).
 */
export const Immutable = () => Type.Unsafe<unknown>({ not: {}, description: 'Immutable: always 400 IMMUTABLE_FIELD' })

/** PATCH bodies must change something: `{}` is refused by the service with "At least one of …". */
export const NON_EMPTY = { minProperties: 1 } as const

/** A cluster, secret or other resource name (spec §1.7). */
export const ResourceName = (description?: string) => Type.String({ pattern: DNS_LABEL, minLength: 2, maxLength: 63, description })
/** `YYYY-MM`: an invoice's name and the billing period it covers. */
export const Period = (description = 'YYYY-MM') => Type.String({ pattern: INVOICE_NAME, description })
/** A vault path prefix: the path characters, possibly empty. */
export const VaultPrefix = (description?: string) => Type.String({ pattern: VAULT_PREFIX, maxLength: VAULT_PATH_MAX, description })

/** Quantities as Kubernetes writes them (spec §1.5), checked by the validator's formats. */
export const CpuQuantity = Type.String({ format: 'cpu-quantity', description: 'Kubernetes quantity, e.g. "4" or "500m"' })
export const BytesQuantity = Type.String({ format: 'bytes-quantity', description: 'Kubernetes quantity, e.g. "16Gi"' })

export const ROLES = ['admin', 'readonly'] as const
/** What a member, API key or credential may do (spec §2.3): `admin` writes, `readonly` reads. */
export const Role = stringEnum(ROLES)
export type Role = Static<typeof Role>

/** A Kubernetes-style condition (spec §6.2); `lastTransitionTime` moves only when `status` flips. */
export const Condition = Type.Object(
  {
    type: Type.String(),
    status: stringEnum(['True', 'False', 'Unknown'] as const),
    reason: Type.String(),
    message: Type.String(),
    lastTransitionTime: Type.String(),
  },
  { $id: 'Condition', additionalProperties: false },
)
export type Condition = Static<typeof Condition>
