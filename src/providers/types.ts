import type { TSchema } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { ProviderCluster, ProviderClusterWithCa } from '../domain/clusters/schema.js'
import type { ConnectionDetails } from '../domain/clusters/schema.js'
import type { SecretWrite, SecretWriteResult } from '../kube/secret-write.js'
import type { Clock } from '../lib/clock.js'
import type { Keys } from '../lib/secrets-crypto.js'
import type { Executor } from '../store/db.js'
import type { AlertmanagerHost } from './alertmanager-host.js'

/** A provider's saved state as stored (column `provider_state`): a JSON object whose shape the provider declares. */
export type ProviderState = Record<string, unknown>

/** Control-plane (kube-apiserver) replicas as observed: how many answer ready, of how many the cluster should run. */
export interface ReplicaCount {
  ready: number
  desired: number
}

export type StepResult<S = ProviderState> =
  | { done: true; state: S; kubernetesVersion?: string; endpoint?: string; replicas?: ReplicaCount }
  | { done: false; state: S; message: string; retryAfterMs: number; replicas?: ReplicaCount }

export interface HealthResult {
  healthy: boolean
  message: string
  /** Observed, never assumed: the status's HA fields report it (decision 0020). */
  replicas: ReplicaCount
}

/**
 * A cluster backend (STYLE.md rule 13), typed by the state `S` it keeps per cluster. Every call
 * is safe to repeat: after a crash the controller calls it again with the state it last saved.
 * A provider sees a cluster only as a `ProviderCluster` (the domain's view, with its own state
 * checked against `stateSchema`); what the cluster controller keeps for itself (CA, versions,
 * failures) is handed over as typed fields, never through the provider's state.
 */
export interface ClusterProvider<S extends ProviderState = ProviderState> {
  readonly name: string
  /** True when status should say the cluster is simulated. */
  readonly simulated: boolean
  /**
   * True when `health` cannot change by itself (nothing runs behind the cluster): a settled
   * cluster then has nothing for a resync to look at, so the controller lists only the others.
   */
  readonly staticHealth?: boolean
  /**
   * The shape of `S`. A new cluster starts with `{}`, so every field is optional; what is read
   * back is checked against it before the provider sees it (toProviderCluster).
   */
  readonly stateSchema: TSchema & { static: S }
  /** Kubernetes minor versions this provider can run, oldest first. */
  versions(): string[]
  provision(cluster: ProviderClusterWithCa<S>, now: Date): Promise<StepResult<S>>
  upgrade(cluster: ProviderClusterWithCa<S>, now: Date): Promise<StepResult<S>>
  /**
   * Brings a running cluster whose spec now asks for high availability to its HA replicas, in
   * place and without changing its endpoint, CA or data (decision 0020). Done when every
   * replica is ready; safe to repeat like every step.
   */
  enableHighAvailability(cluster: ProviderClusterWithCa<S>, now: Date): Promise<StepResult<S>>
  health(cluster: ProviderCluster<S>): Promise<HealthResult>
  connection(cluster: ProviderCluster<S>): Promise<ConnectionDetails>
  deprovision(cluster: ProviderCluster<S>, now: Date): Promise<StepResult<S>>
  /** Writes (creates or updates) a managed Secret in the cluster; never overwrites an unmanaged one. */
  writeSecret(cluster: ProviderCluster<S>, secret: SecretWrite): Promise<SecretWriteResult>
  /** The Kupe server's own URL, once it listens (tenant API servers call back into it). */
  attachServer?(url: string): void
  /** Stops whatever the provider runs in this process (server shutdown). */
  close?(): Promise<void>
  /** Runs each tenant's Alertmanager, when the provider can (src/providers/alertmanager-host.ts). */
  readonly alertmanagers?: AlertmanagerHost
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
  /** Where the Alertmanager binaries are (tools/alertmanager/build.sh). */
  alertmanagerDir: string
  keys: Keys
  clock: Clock
  logger: Logger
  /** The store (the simulated provider keeps what its clusters hold there). */
  db: Executor
  /** Wakes the cluster controller (a process died or became ready). */
  signal(kind: 'clusters', clusterId?: string): void
}

export type ProviderFactory = (deps: ProviderDeps) => ClusterProvider
