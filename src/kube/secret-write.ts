/**
 * One Kubernetes Secret a sync target should hold (spec §5.4), and what writing it did. These
 * describe a Kubernetes object, whichever backend writes it: `kube/managed-secret.ts` writes
 * it to a real API server, the simulated provider records it, the sync controller asks for it.
 * They live in `kube/` (the layer every one of those may import), so `kube/` needs nothing from
 * `providers/`.
 */
export interface SecretWrite {
  namespace: string
  name: string
  managedSecret: string
  sourceVersion: number
  data: Record<string, string>
}

/**
 * `changed: false`: the live Secret already held exactly this (a provider that can look says so,
 * and the sync controller then keeps the target's lastSyncTime). `unreachable`: the cluster did
 * not answer at all, so nothing is known about what it holds.
 */
export type SecretWriteResult = { ok: true; changed?: boolean } | { ok: false; message: string; unreachable?: boolean }
