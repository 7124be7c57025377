import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'
import { Condition, Immutable, ref, stringEnum } from '../common/schema.js'

const Label = (description: string) => Type.String({ minLength: 1, maxLength: 63, pattern: DNS_LABEL, description })

/** One place a managed secret is copied to (spec §5.4, names per §1.7). */
export const SyncTarget = Type.Object(
  {
    cluster: Label('Cluster name (DNS-1123 label)'),
    namespace: Label('Namespace in the cluster; never created by Kupe'),
    secretName: Type.Optional(Type.String({ format: 'dns-subdomain', description: 'Default: the managed secret name' })),
  },
  { additionalProperties: false },
)
export type SyncTarget = Static<typeof SyncTarget>

const Sync = Type.Array(SyncTarget, { maxItems: 100, description: 'The complete list of targets, 0–100' })

/** POST /tenants/{tenant}/secrets (field errors are reported under `spec.`). */
export const SecretCreate = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 63, pattern: DNS_LABEL, description: 'Immutable' }),
    secretPath: Type.String({ format: 'vault-path', description: 'Vault path to read; immutable; need not exist yet' }),
    sync: Type.Optional(Sync),
  },
  { additionalProperties: false },
)
export type SecretCreate = Static<typeof SecretCreate>

/**
 * PATCH /tenants/{tenant}/secrets/{name}: exactly `{sync}`. `name` and `secretPath` are accepted
 * by the schema only so that the service can answer IMMUTABLE_FIELD rather than UNKNOWN_FIELD.
 */
export const SecretPatch = Type.Object(
  {
    sync: Sync,
    name: Type.Optional(Immutable()),
    secretPath: Type.Optional(Immutable()),
  },
  { additionalProperties: false },
)
export type SecretPatch = Static<typeof SecretPatch>

export const SyncStatus = Type.Object(
  {
    cluster: Type.String(),
    namespace: Type.String(),
    secretName: Type.String({ description: 'Effective name of the Kubernetes Secret' }),
    phase: stringEnum(['Pending', 'Synced', 'Failed'] as const),
    message: Type.String({ description: 'Empty when there is nothing to say' }),
    lastSyncTime: Type.Optional(Type.String({ description: 'Last successful write; omitted until one' })),
    sourceVersion: Type.Optional(Type.Integer({ description: 'Vault version the target holds; omitted until first sync' })),
  },
  { additionalProperties: false },
)
export type SyncStatus = Static<typeof SyncStatus>

export const SECRET_PHASES = ['Pending', 'Synced', 'Degraded', 'Failed'] as const
export type SecretPhase = (typeof SECRET_PHASES)[number]

/** Written only by the sync controller's status writer. */
export const SecretStatus = Type.Object(
  {
    phase: stringEnum(SECRET_PHASES),
    conditions: Type.Array(ref(Condition)),
    syncStatuses: Type.Array(SyncStatus, { description: 'One per target, in the order of sync' }),
  },
  { additionalProperties: false },
)
export type SecretStatus = Static<typeof SecretStatus>

/**
 * A target's status as stored: the API fields plus what the target holds (the cluster's id and
 * the vault revision last written), so a reconcile can tell without decrypting anything whether
 * the target is current. `secretToApi` drops the extra fields.
 */
export interface StoredSyncStatus extends SyncStatus {
  heldClusterId?: string
  heldRevision?: string
}

/** The `status` column of a secret row. */
export interface StoredSecretStatus extends SecretStatus {
  syncStatuses: StoredSyncStatus[]
}

export const Secret = Type.Object(
  {
    name: Type.String(),
    secretPath: Type.String(),
    sync: Type.Optional(Type.Array(SyncTarget, { description: 'As sent; omitted when never set' })),
    resourceVersion: Type.String(),
    createdAt: Type.String(),
    status: SecretStatus,
  },
  { $id: 'Secret', additionalProperties: false },
)
export type Secret = Static<typeof Secret>
