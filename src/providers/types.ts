import type { ClusterRow } from '../store/db.js'

/**
 * A cluster backend (STYLE.md rule 13). Every call is safe to repeat: the controller calls it
 * again after a crash with whatever state it last saved in `provider_state`.
 */
export interface ProviderState {
  [key: string]: unknown
}

export type StepResult =
  | { done: true; state: ProviderState; kubernetesVersion?: string; endpoint?: string }
  | { done: false; state: ProviderState; message: string; retryAfterMs: number }

export interface HealthResult {
  healthy: boolean
  message: string
}

export interface ConnectionDetails {
  endpoint: string
  /** base64 of the PEM bundle that signs the endpoint's serving certificate. */
  certificateAuthority: string
}

/** One Kubernetes Secret a sync target should hold (spec §5.4). */
export interface SecretWrite {
  namespace: string
  name: string
  managedSecret: string
  sourceVersion: number
  data: Record<string, string>
}

export type SecretWriteResult = { ok: true } | { ok: false; message: string }

export interface ClusterProvider {
  readonly name: string
  /** True when status should say the cluster is simulated. */
  readonly simulated: boolean
  /** Kubernetes minor versions this provider can run, oldest first. */
  versions(): string[]
  provision(cluster: ClusterRow, now: Date): Promise<StepResult>
  upgrade(cluster: ClusterRow, now: Date): Promise<StepResult>
  health(cluster: ClusterRow): Promise<HealthResult>
  connection(cluster: ClusterRow): Promise<ConnectionDetails>
  deprovision(cluster: ClusterRow, now: Date): Promise<StepResult>
  /** Writes (creates or updates) a managed Secret in the cluster; never overwrites an unmanaged one. */
  writeSecret(cluster: ClusterRow, secret: SecretWrite): Promise<SecretWriteResult>
}

export type ProviderFactory = (deps: { stepSeconds: number; versions: string[] }) => ClusterProvider
