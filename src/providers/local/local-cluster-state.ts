import { Type, type Static } from '@sinclair/typebox'

/**
 * What the local provider keeps per cluster (its `provider_state`). Private keys are stored
 * only encrypted with the master key, bound to the cluster id and their purpose (cluster-pki.ts),
 * and written to 0600 files when the API server starts. The CA is not here: it is the cluster
 * controller's, handed over in the `ProviderCluster`.
 */
export const LocalClusterState = Type.Object({
  /** The API server's port on 127.0.0.1, chosen once so that the endpoint never changes. */
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  /**
   * High availability (decision 0020): the ports of the other kube-apiserver replicas, beside the
   * one at `port` (which stays the endpoint handed out), chosen once like it.
   */
  replicaPorts: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { maxItems: 2 })),
  servingCertPem: Type.Optional(Type.String()),
  servingKey: Type.Optional(Type.String()),
  serviceAccountKey: Type.Optional(Type.String()),
  /** Kupe's own client certificate (`O=system:masters`) for RBAC objects and Secrets. */
  adminCertPem: Type.Optional(Type.String()),
  adminKey: Type.Optional(Type.String()),
})
export type LocalClusterState = Static<typeof LocalClusterState>
