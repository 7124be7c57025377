import { Type, type Static } from '@sinclair/typebox'
import { ROLES, Role, stringEnum } from '../common/schema.js'

/** Short-lived cluster credentials (spec §5.3, §6.3). */

const listed = {
  id: Type.String({ pattern: '^cc-[0-9a-f]{8}$' }),
  role: Role,
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
}

export const Credential = Type.Object(listed, { $id: 'Credential', additionalProperties: false })
export type Credential = Static<typeof Credential>

export const CredentialCreated = Type.Object(
  {
    ...listed,
    endpoint: Type.String(),
    certificateAuthority: Type.String(),
    token: Type.String({ description: 'kupec_… bearer token for the cluster, shown only in this response' }),
  },
  { $id: 'CredentialCreated', additionalProperties: false },
)
export type CredentialCreated = Static<typeof CredentialCreated>

/** POST /tenants/{tenant}/clusters/{name}/credentials; the body may be omitted. */
export const CredentialCreate = Type.Object(
  {
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_592_000, description: 'Default 28800 (8 hours)' })),
    role: Type.Optional(stringEnum(ROLES, { description: "Default: the caller's role" })),
  },
  { additionalProperties: false },
)
export type CredentialCreate = Static<typeof CredentialCreate>

const namedEntry = (key: string) =>
  Type.Object({ name: Type.String(), [key]: Type.Object({}, { additionalProperties: true }) }, { additionalProperties: true })

/**
 * `GET …/kubeconfig?format=yaml` (spec §6.3): a kubeconfig file, served as `application/yaml`.
 * Stated as the object the YAML holds, which is what a client parsing it gets.
 */
export const Kubeconfig = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('Config'),
    clusters: Type.Array(namedEntry('cluster'), { minItems: 1 }),
    users: Type.Array(namedEntry('user'), { minItems: 1 }),
    contexts: Type.Array(namedEntry('context'), { minItems: 1 }),
    'current-context': Type.String(),
  },
  { $id: 'Kubeconfig', description: 'kubeconfig embedding a new short-lived credential (spec §6.3)' },
)
