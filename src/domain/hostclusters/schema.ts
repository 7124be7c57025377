import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'
import { Condition, ref, stringEnum } from '../common/schema.js'

/**
 * Host clusters (seed 004 `/v1/clusters`): Kubernetes clusters the platform operator registers,
 * where tenants' projects and apps run. Not to be confused with a tenant's own clusters
 * (`/api/v1/tenants/{t}/clusters`, control planes Kupe provides): docs/decisions/0010.
 * snake_case in responses, as kubeOP spells them.
 */
export const CLUSTER_ID_LABEL = 'app.kubeop.io/cluster-id'
export const CLEANUP_FINALIZER = 'kubeop.io/cleanup'

/** POST /v1/clusters: the kubeconfig's content (YAML or JSON, or base64 of either, as kubeOP sent it). */
export const HostClusterRegister = Type.Object(
  {
    name: Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63 }),
    kubeconfig: Type.String({ minLength: 1, maxLength: 1024 * 1024, description: 'The kubeconfig file content (not a path)' }),
    autoBootstrap: Type.Optional(Type.Boolean({ description: 'Install the CRDs and the operator RBAC on registration (default true)' })),
  },
  { additionalProperties: false },
)
export type HostClusterRegister = Static<typeof HostClusterRegister>

export const HOST_CLUSTER_PHASES = ['Ready', 'NotReady', 'Unknown'] as const

/** What the last health check saw (stored as the row's `health`). */
export const HostClusterHealth = Type.Object(
  {
    phase: stringEnum(HOST_CLUSTER_PHASES),
    conditions: Type.Array(ref(Condition)),
    server_version: Type.Optional(Type.String({ description: 'gitVersion from /version' })),
    node_count: Type.Optional(Type.Integer({ minimum: 0 })),
    nodes_ready: Type.Optional(Type.Integer({ minimum: 0 })),
    checked_at: Type.String({ description: 'When the cluster was last checked' }),
  },
  { additionalProperties: false },
)
export type HostClusterHealth = Static<typeof HostClusterHealth>

export const HostCluster = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    finalizers: Type.Array(Type.String()),
    created_at: Type.String(),
    server: Type.String({ description: 'API server URL from the kubeconfig' }),
    tenants: Type.Integer({ minimum: 0, description: 'Tenants placed on this cluster' }),
    status: HostClusterHealth,
  },
  { $id: 'HostCluster', additionalProperties: false },
)
export type HostCluster = Static<typeof HostCluster>
