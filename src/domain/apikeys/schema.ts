import { Type, type Static } from '@sinclair/typebox'
import { Role } from '../common/schema.js'

export const ApiKey = Type.Object(
  {
    id: Type.String({ pattern: '^ak-[0-9a-f]{8}$' }),
    displayName: Type.String(),
    role: Role,
    createdBy: Type.String(),
    createdAt: Type.String(),
    expiresAt: Type.Optional(Type.String()),
    lastUsedAt: Type.Optional(Type.String()),
  },
  { $id: 'ApiKey', additionalProperties: false },
)
export type ApiKey = Static<typeof ApiKey>

export const ApiKeyCreated = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    role: Role,
    createdBy: Type.String(),
    createdAt: Type.String(),
    expiresAt: Type.Optional(Type.String()),
    key: Type.String({ description: 'The raw key, shown only in this response' }),
  },
  { $id: 'ApiKeyCreated', additionalProperties: false },
)
export type ApiKeyCreated = Static<typeof ApiKeyCreated>

/** POST /tenants/{tenant}/apikeys (spec §5.7). */
export const ApiKeyCreate = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 100, format: 'display-name-nonblank' }),
    role: Role,
    expiresAt: Type.Optional(Type.String({ format: 'rfc3339' })),
  },
  { additionalProperties: false },
)
export type ApiKeyCreate = Static<typeof ApiKeyCreate>
