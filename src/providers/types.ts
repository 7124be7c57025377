import type { Executor } from '../store/db.js'
import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { Keys } from '../lib/secrets-crypto.js'
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

/**
 * `changed: false`: the live Secret already held exactly this (a provider that can look says so,
 * and the sync controller then keeps the target's lastSyncTime). `unreachable`: the cluster did
 * not answer at all, so nothing is known about what it holds.
 */
export type SecretWriteResult = { ok: true; changed?: boolean } | { ok: false; message: string; unreachable?: boolean }

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
  /** The Kupe server's own URL, once it listens (tenant API servers call back into it). */
  attachServer?(url: string): void
  /** Stops whatever the provider runs in this process (server shutdown). */
  close?(): Promise<void>
}

/** What a provider may use; each takes the slice it needs. */
export interface ProviderDeps {
  /** Seconds each simulated step takes. */
  stepSeconds: number
  /** Configured Kubernetes minor versions (the simulated provider offers these). */
  versions: string[]
  /** The server's data directory (the local provider keeps its files under `local/`). */
  dataDir: string
  /** Where the Kubernetes binaries are: a release directory or the cache holding several. */
  k8sDir: string
  keys: Keys
  clock: Clock
  logger: Logger
  /** The store (the simulated provider keeps what its clusters hold there). */
  db: Executor
  /** Wakes the cluster controller (a process died or became ready). */
  signal(kind: 'clusters'): void
}

export type ProviderFactory = (deps: ProviderDeps) => ClusterProvider
