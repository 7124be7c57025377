import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox'

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
