import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL, KUBERNETES_VERSION, SUPPORTED_VERSION } from '../common/names.js'
import { BytesQuantity, Condition, CpuQuantity, Immutable, NON_EMPTY, ref, stringEnum } from '../common/schema.js'

/** Cluster schemas (spec §5.2, §6.2): request bodies are strict; responses are named for OpenAPI. */

const Cpu = CpuQuantity
const Bytes = BytesQuantity
const Alerts = Type.Object({}, { additionalProperties: true, maxJsonBytes: 16384, description: 'Free-form; at most 16 KiB serialized' })
const Version = Type.String({ pattern: KUBERNETES_VERSION, [SUPPORTED_VERSION]: true, description: 'MAJOR.MINOR, one the server supports, e.g. "1.32"' })
/** PATCH: `""` is what the Terraform provider sends when it plans no value; it means unchanged (decision 0019). */
const VersionOrUnchanged = Type.String({
  pattern: `^(${KUBERNETES_VERSION.slice(1, -1)})?$`,
  [SUPPORTED_VERSION]: 'or-empty',
  description: 'MAJOR.MINOR, one the server supports, e.g. "1.33"; "" leaves the version unchanged',
})

/** Requested amounts as sent (quantities); absent fields take the server defaults. */
export const ClusterResources = Type.Object(
  { cpu: Type.Optional(Type.String()), memory: Type.Optional(Type.String()), storage: Type.Optional(Type.String()) },
  { additionalProperties: false },
)
export type ClusterResources = Static<typeof ClusterResources>

export const CLUSTER_TYPES = ['shared', 'dedicated'] as const
export type ClusterType = (typeof CLUSTER_TYPES)[number]

/**
 * Cluster lifecycle phases (spec §5.2), and `Migrating` while high availability is being
 * enabled on an existing cluster (the Kupe CLI's phase for it; decision 0020).
 */
export const CLUSTER_PHASES = ['Pending', 'Provisioning', 'Running', 'Upgrading', 'Migrating', 'Degraded', 'Failed', 'Deleting'] as const
export type ClusterPhase = (typeof CLUSTER_PHASES)[number]

/**
 * The high-availability rollup the Kupe CLI reads (`status.haPhase`, decision 0020): `pending`
 * until the replicas of a cluster created with HA are first all ready, `migrating` while HA is
 * enabled in place, then `ha-healthy` (all ready), `ha-degraded` (some) or `ha-unavailable` (none).
 */
export const HA_PHASES = ['pending', 'migrating', 'ha-healthy', 'ha-degraded', 'ha-unavailable'] as const
export type HaPhase = (typeof HA_PHASES)[number]

/** Control-plane (kube-apiserver) replicas of a cluster with and without high availability. */
export const HA_REPLICAS = 3

/** What the cluster controller observed (spec §6.2); written only through the status writer. */
export const ClusterStatus = Type.Object(
  {
    phase: stringEnum(CLUSTER_PHASES),
    kubernetesVersion: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    observedGeneration: Type.Integer({ minimum: 0 }),
    conditions: Type.Array(ref(Condition)),
    // High availability as observed (decision 0020); present only on clusters with highAvailability.
    haConfigured: Type.Optional(Type.Boolean({ description: 'HA clusters: true once every control-plane replica has been ready' })),
    haEnabledAt: Type.Optional(Type.String({ description: 'HA clusters: when every replica was first ready (RFC 3339); HA billing starts then' })),
    haPhase: Type.Optional(stringEnum(HA_PHASES)),
    haReplicasReady: Type.Optional(Type.Integer({ minimum: 0, description: 'HA clusters: kube-apiserver replicas answering /readyz' })),
    haReplicasDesired: Type.Optional(Type.Integer({ minimum: 0, description: 'HA clusters: kube-apiserver replicas the cluster should run' })),
  },
  { additionalProperties: false },
)
export type ClusterStatus = Static<typeof ClusterStatus>

/** The cluster CA as stored: its certificate, and its private key encrypted with the master key (cluster-ca.ts). */
export const StoredClusterCa = Type.Object(
  { certPem: Type.String(), encryptedKey: Type.String() },
  { additionalProperties: false },
)
export type StoredClusterCa = Static<typeof StoredClusterCa>

/**
 * What the cluster controller keeps about a cluster to resume after a crash (column
 * `controller_state`, never shown in the API). The provider's own state is a separate column
 * whose shape each provider declares (providers/types.ts).
 */
export const ClusterControllerState = Type.Object(
  {
    /** Created before provisioning starts, so every step and every restart uses the same CA. */
    ca: Type.Optional(StoredClusterCa),
    /** The MAJOR.MINOR the control plane runs, once it has run. */
    runningVersion: Type.Optional(Type.String()),
    /** Provisioning failed for good at this generation: nothing to do until the spec changes. */
    failedGeneration: Type.Optional(Type.Integer()),
    /** The upgrade to this generation failed for good (the cluster runs its old version). */
    upgradeFailedGeneration: Type.Optional(Type.Integer()),
    /** Enabling high availability at this generation failed for good (the cluster runs the replicas it had). */
    haFailedGeneration: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
export type ClusterControllerState = Static<typeof ClusterControllerState>

export const Warning = Type.Object(
  { code: Type.String(), severity: Type.Literal('warning'), message: Type.String(), field: Type.String() },
  { $id: 'Warning', additionalProperties: false },
)
export type Warning = Static<typeof Warning>

const clusterProperties = {
  name: Type.String(),
  displayName: Type.String(),
  type: stringEnum(CLUSTER_TYPES),
  version: Type.String(),
  highAvailability: Type.Boolean(),
  resources: Type.Optional(ClusterResources),
  alerts: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  generation: Type.Integer({ minimum: 1 }),
  resourceVersion: Type.String(),
  createdAt: Type.String(),
  status: ClusterStatus,
}

export const Cluster = Type.Object(clusterProperties, { $id: 'Cluster', additionalProperties: false })
export type Cluster = Static<typeof Cluster>

export const ClusterCreated = Type.Object(
  { ...clusterProperties, warnings: Type.Array(ref(Warning)) },
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
    type: Type.Optional(stringEnum(CLUSTER_TYPES)),
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

/** PATCH /tenants/{tenant}/clusters/{name}: merge semantics; `null` clears where allowed. */
export const ClusterPatch = Type.Object(
  {
    version: Type.Optional(VersionOrUnchanged),
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
    highAvailability: Type.Optional(Type.Boolean({
      description: 'true on a cluster without HA starts an in-place migration (phase Migrating); false on an HA cluster is refused (HA_DISABLE_UNSUPPORTED)',
    })),
    name: Type.Optional(Immutable()),
    displayName: Type.Optional(Immutable()),
    type: Type.Optional(Immutable()),
  },
  { additionalProperties: false, ...NON_EMPTY },
)
export type ClusterPatch = Static<typeof ClusterPatch>

/**
 * A cluster as a cluster backend sees it (providers/types.ts): what it should run (the spec),
 * what the cluster controller knows (the version running, the endpoint handed out, the CA), and
 * the backend's own state `S` as it last saved it. Built only by `toProviderCluster`
 * (provider-cluster-mapper.ts), which checks that state against the backend's schema; the
 * backend never sees the row, the controller's state or another backend's keys.
 */
export interface ProviderCluster<S = unknown> {
  id: string
  tenantId: string
  name: string
  type: ClusterType
  /** The MAJOR.MINOR the cluster should run (its spec). */
  version: string
  /** The MAJOR.MINOR the control plane runs, once it has run; undefined before the first Running. */
  runningVersion?: string
  highAvailability: boolean
  resources: ClusterResources
  /** The endpoint already handed out (`status.endpoint`): once given out it must not change. */
  endpoint?: string
  /** The cluster CA's certificate, once the controller has created it (always before provisioning). */
  ca?: { certPem: string }
  /** What this backend saved last time; `{}` for a new cluster. */
  state: S
}

/** A cluster being provisioned or upgraded: with its CA's private key, to issue the control plane's certificates. */
export interface ProviderClusterWithCa<S = unknown> extends ProviderCluster<S> {
  /** The same shape as kube/pki's KeyAndCertificate: PEM certificate and private key. */
  ca: { certPem: string; keyPem: string }
}
