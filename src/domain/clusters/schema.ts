import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL, KUBERNETES_VERSION } from '../common/names.js'

/** Cluster schemas (spec §5.2, §6.2): request bodies are strict; responses are named for OpenAPI. */
const oneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) })

const Cpu = Type.String({ format: 'cpu-quantity', description: 'Kubernetes quantity, e.g. "4" or "500m"' })
const Bytes = Type.String({ format: 'bytes-quantity', description: 'Kubernetes quantity, e.g. "16Gi"' })
const Alerts = Type.Object({}, { additionalProperties: true, maxJsonBytes: 16384, description: 'Free-form; at most 16 KiB serialized' })
const Version = Type.String({ pattern: KUBERNETES_VERSION, description: 'MAJOR.MINOR, e.g. "1.32"' })

export const ClusterResources = Type.Object(
  { cpu: Type.Optional(Type.String()), memory: Type.Optional(Type.String()), storage: Type.Optional(Type.String()) },
  { additionalProperties: false },
)

export const Condition = Type.Object(
  {
    type: Type.String(),
    status: oneOf(['True', 'False', 'Unknown'] as const),
    reason: Type.String(),
    message: Type.String(),
    lastTransitionTime: Type.String(),
  },
  { $id: 'Condition', additionalProperties: false },
)

export const Warning = Type.Object(
  { code: Type.String(), severity: Type.Literal('warning'), message: Type.String(), field: Type.String() },
  { $id: 'Warning', additionalProperties: false },
)
export type Warning = Static<typeof Warning>

const clusterProperties = {
  name: Type.String(),
  displayName: Type.String(),
  type: oneOf(['shared', 'dedicated'] as const),
  version: Type.String(),
  highAvailability: Type.Boolean(),
  resources: Type.Optional(ClusterResources),
  alerts: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  generation: Type.Integer({ minimum: 1 }),
  resourceVersion: Type.String(),
  createdAt: Type.String(),
  status: Type.Object({
    phase: oneOf(['Pending', 'Provisioning', 'Running', 'Upgrading', 'Degraded', 'Failed', 'Deleting'] as const),
    kubernetesVersion: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    observedGeneration: Type.Integer({ minimum: 0 }),
    conditions: Type.Array(Type.Ref(Condition)),
  }),
}

export const Cluster = Type.Object(clusterProperties, { $id: 'Cluster', additionalProperties: false })
export type Cluster = Static<typeof Cluster>

export const ClusterCreated = Type.Object(
  { ...clusterProperties, warnings: Type.Array(Type.Ref(Warning)) },
  { $id: 'ClusterCreated', additionalProperties: false },
)
export type ClusterCreated = Static<typeof ClusterCreated>

export const ConnectionDetails = Type.Object(
  {
    endpoint: Type.String(),
    certificateAuthority: Type.String({ description: 'base64 of the PEM bundle that signs the endpoint' }),
  },
  { $id: 'ConnectionDetails', additionalProperties: false },
)
export type ConnectionDetails = Static<typeof ConnectionDetails>

/** POST /tenants/{tenant}/clusters. */
export const ClusterCreate = Type.Object(
  {
    name: Type.String({ pattern: DNS_LABEL, minLength: 2, maxLength: 63 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, format: 'display-name' })),
    type: Type.Optional(oneOf(['shared', 'dedicated'] as const)),
    version: Type.Optional(Version),
    resources: Type.Optional(
      Type.Object({ cpu: Type.Optional(Cpu), memory: Type.Optional(Bytes), storage: Type.Optional(Bytes) }, { additionalProperties: false }),
    ),
    alerts: Type.Optional(Alerts),
    highAvailability: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ClusterCreate = Static<typeof ClusterCreate>

const immutable = Type.Unknown({ description: 'Immutable: always 400 IMMUTABLE_FIELD' })

/** PATCH /tenants/{tenant}/clusters/{name}: merge semantics; `null` clears where allowed. */
export const ClusterPatch = Type.Object(
  {
    version: Type.Optional(Version),
    resources: Type.Optional(
      Type.Object(
        {
          cpu: Type.Optional(Type.Union([Cpu, Type.Null()])),
          memory: Type.Optional(Type.Union([Bytes, Type.Null()])),
          storage: Type.Optional(Type.Union([Bytes, Type.Null()])),
        },
        { additionalProperties: false, description: 'Per-field merge; null clears a field; {} clears all' },
      ),
    ),
    alerts: Type.Optional(Type.Union([Alerts, Type.Null()], { description: 'Replaces the whole object; {} or null clears it' })),
    highAvailability: Type.Optional(Type.Boolean({ description: 'Only the current value is accepted' })),
    name: Type.Optional(immutable),
    displayName: Type.Optional(immutable),
    type: Type.Optional(immutable),
  },
  { additionalProperties: false },
)
export type ClusterPatch = Static<typeof ClusterPatch>
