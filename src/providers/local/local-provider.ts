import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { applyAccessBindings } from '../../kube/access-bindings.js'
import { isUnreachable } from '../../kube/cluster-client.js'
import { writeManagedSecret } from '../../kube/managed-secret.js'
import type { SecretWrite, SecretWriteResult } from '../../kube/secret-write.js'
import { redactTokenReviewSecrets, tokenReviewSecret, tokenWebhookKubeconfig } from '../../kube/token-webhook.js'
import type { ProviderCluster, ProviderClusterWithCa } from '../../domain/clusters/schema.js'
import type { ConnectionDetails } from '../../domain/clusters/schema.js'
import { TerminalProviderError } from '../errors.js'
import type { ClusterProvider, HealthResult, ProviderDeps, ProviderFactory, StepResult } from '../types.js'
import { countReadyReplicas, REPLICA_INDEXES, replaceTakenReplicaPort, replicaKey, replicaPortsOf, withReplicaPorts } from './apiserver-replicas.js'
import { apiserverSpec, controllerManagerSpec, etcdPrefixOf, writeControlPlaneFiles, type ControlPlaneLaunch } from './apiserver.js'
import { LocalAlertmanagers } from './alertmanager-host.js'
import { findKubeReleases, type KubeRelease } from './binaries.js'
import { ClusterConnections, endpointOf, gitVersionOf, probeReady, rolesAggregated } from './cluster-connections.js'
import { hasMaterials, issueMaterials, openMaterials } from './cluster-pki.js'
import { LocalClusterState } from './local-cluster-state.js'
import { ETCD_KEY, SharedEtcd } from './etcd.js'
import { freePort } from './ports.js'
import { ProcessSupervisor } from './supervisor.js'

type Deps = Pick<ProviderDeps, 'dataDir' | 'k8sDir' | 'alertmanagerDir' | 'keys' | 'clock' | 'logger' | 'signal'>
type Cluster = ProviderCluster<LocalClusterState>

/** A new API server that exits this many times in a row without serving has failed for good. */
const CRASHES_BEFORE_FAILURE = 5
const READY_POLL_MS = 100
const READY_WATCH_MS = 180_000

const apiserverKey = (clusterId: string) => `apiserver:${clusterId}`
const controllerManagerKey = (clusterId: string) => `kcm:${clusterId}`
const lastLine = (text: string | undefined) => (text ?? '').trim().split('\n').pop() ?? ''

/**
 * Real Kubernetes on this machine (issue #3): one kube-apiserver (and kube-controller-manager)
 * per tenant cluster, of the cluster's version, all storing into one shared etcd under a key
 * prefix per cluster, each with its own CA, serving certificate and service-account key, and
 * authenticating bearer tokens through the Kupe server's token-review webhook (spec §2.6).
 * Processes are supervised (a crash is restarted with backoff) and everything needed to start
 * them again lives in the cluster's saved state, so after a server restart the cluster
 * controller's next look starts every cluster that should run. Decisions: docs/decisions/0007-local-provider.md.
 */
export class LocalProvider implements ClusterProvider<LocalClusterState> {
  readonly name = 'local'
  readonly simulated = false
  readonly stateSchema = LocalClusterState
  private serverUrl: string | undefined
  private readonly localDir: string
  private readonly supervisor: ProcessSupervisor
  private readonly etcd: SharedEtcd
  private readonly connections: ClusterConnections
  private readonly watching = new Set<string>()
  private closed = false
  /** Each tenant's Alertmanager, supervised with the clusters' processes (stopped by close()). */
  readonly alertmanagers: LocalAlertmanagers

  constructor(private readonly deps: Deps) {
    this.localDir = resolve(deps.dataDir, 'local')
    this.connections = new ClusterConnections(deps.keys)
    this.supervisor = new ProcessSupervisor(deps.logger, {
      // Health checks notice at once; the restarted process is watched until it serves again.
      crashed: () => deps.signal('clusters'),
      restarted: (key) => {
        if (key.startsWith('apiserver:')) this.watchReady(key.slice('apiserver:'.length))
        else deps.signal('clusters')
      },
    }, redactTokenReviewSecrets)
    this.etcd = new SharedEtcd(this.supervisor, this.localDir, () => this.newestRelease().etcd)
    this.alertmanagers = new LocalAlertmanagers(this.supervisor, this.localDir, deps.alertmanagerDir)
    if (!this.immediateRevocation()) {
      deps.logger.warn('kupe-apiserver is not built: tenant API servers cache a successful token for 10 s, so a revoked key keeps working that long (run `npm run k8s:build`)')
    }
  }

  /** Releases are read from disk each time: a newly built release is offered without a restart. */
  releases(): KubeRelease[] {
    return findKubeReleases(this.deps.k8sDir)
  }

  versions(): string[] {
    return this.releases().map((r) => r.minor)
  }

  private newestRelease(): KubeRelease {
    const all = this.releases()
    const newest = all[all.length - 1]
    if (!newest) throw new Error(`no Kubernetes binaries in ${this.deps.k8sDir}: run \`npm run k8s:build\``)
    return newest
  }

  private releaseFor(minor: string): KubeRelease {
    const release = this.releases().find((r) => r.minor === minor)
    if (!release) throw new TerminalProviderError(`Kubernetes ${minor} is not built on this server`)
    return release
  }

  clusterDir(clusterId: string): string {
    return join(this.localDir, 'clusters', clusterId)
  }

  /** The shared etcd (tests look into it to prove a deleted cluster left nothing behind). */
  get sharedEtcd(): SharedEtcd {
    return this.etcd
  }

  /** The pids of a cluster's supervised processes, when they run (`replicas`: the other API servers of an HA cluster). */
  pids(clusterId: string): { apiserver?: number; controllerManager?: number; replicas: Array<number | undefined> } {
    return {
      apiserver: this.supervisor.status(apiserverKey(clusterId))?.pid,
      controllerManager: this.supervisor.status(controllerManagerKey(clusterId))?.pid,
      replicas: REPLICA_INDEXES.map((i) => this.supervisor.status(replicaKey(clusterId, i))?.pid),
    }
  }

  attachServer(url: string): void {
    this.serverUrl = url
  }

  /** Whether revocations reach the API servers at once (kupe-apiserver is built), for the startup log. */
  immediateRevocation(): boolean {
    return this.releases().every((r) => r.tokenCacheConfigurable)
  }

  /** Kills every process at once (a test process ending on a signal, with no time for close()). */
  killNow(): void {
    this.supervisor.killNow()
  }

  async close(): Promise<void> {
    this.closed = true
    this.connections.closeAll()
    await this.supervisor.stopAll([ETCD_KEY])
  }

  provision(cluster: ProviderClusterWithCa<LocalClusterState>, now: Date): Promise<StepResult<LocalClusterState>> {
    return this.bringUp(cluster, now, this.releaseFor(cluster.version))
  }

  /**
   * High availability in place (decision 0020): the other replicas start beside the one that
   * serves the endpoint, on the same etcd prefix with the same certificates, so the endpoint,
   * the data and every credential stay; done when every replica answers /readyz.
   */
  enableHighAvailability(cluster: ProviderClusterWithCa<LocalClusterState>, now: Date): Promise<StepResult<LocalClusterState>> {
    return this.bringUp(cluster, now, this.releaseFor(cluster.runningVersion ?? cluster.version))
  }

  /** Swaps the binary for the new version's; a release that does not come up is rolled back. */
  async upgrade(cluster: ProviderClusterWithCa<LocalClusterState>, now: Date): Promise<StepResult<LocalClusterState>> {
    try {
      return await this.bringUp(cluster, now, this.releaseFor(cluster.version))
    } catch (err) {
      const previous = cluster.runningVersion
      const old = previous ? this.releases().find((r) => r.minor === previous) : undefined
      if (err instanceof TerminalProviderError && old) await this.run(cluster, old)
      throw err
    }
  }

  private async bringUp(cluster: ProviderClusterWithCa<LocalClusterState>, now: Date, release: KubeRelease): Promise<StepResult<LocalClusterState>> {
    const { state } = cluster
    if (!hasMaterials(cluster)) {
      // Saved before anything starts, so every later step (and restart) uses the same port and keys.
      const issued = await issueMaterials(this.deps.keys, cluster.id, cluster.ca, { ...state, port: state.port ?? (await freePort()) }, now)
      return { done: false, state: issued, message: 'Certificates issued; starting the API server', retryAfterMs: 0 }
    }
    const ports = (await withReplicaPorts(cluster)) ?? (await replaceTakenReplicaPort(this.supervisor, cluster, CRASHES_BEFORE_FAILURE, lastLine))
    if (ports) return ports
    await this.run(cluster, release)
    const access = this.connections.access(cluster)
    const ready = await probeReady(access)
    if (!ready.ok) {
      const status = this.supervisor.status(apiserverKey(cluster.id))
      if (status && status.crashes >= CRASHES_BEFORE_FAILURE) {
        const reason = lastLine(status.lastExit?.logTail)
        await this.stopControlPlane(cluster.id)
        if (/address already in use/.test(reason) && !cluster.endpoint) {
          // The port was taken meanwhile and not handed out yet: take another one.
          return { done: false, state: { ...state, port: await freePort() }, message: 'Port taken; choosing another', retryAfterMs: 0 }
        }
        throw new TerminalProviderError(`kube-apiserver keeps exiting: ${reason || `exit ${String(status.lastExit?.code)}`}`)
      }
      return { done: false, state, message: `Waiting for the API server to be ready (${ready.reason})`, retryAfterMs: 1_000 }
    }
    await this.runControllerManager(cluster, release)
    // `view` is an aggregated role: empty until the controller manager has filled it in.
    if (!(await rolesAggregated(access))) {
      return { done: false, state, message: 'Waiting for the controller manager', retryAfterMs: 250 }
    }
    await applyAccessBindings(this.connections.client(cluster).kc)
    const replicas = await countReadyReplicas(this.connections, cluster)
    if (replicas.ready < replicas.desired) {
      return { done: false, state, message: `Waiting for the API server replicas (${replicas.ready}/${replicas.desired} ready)`, retryAfterMs: 500, replicas }
    }
    return { done: true, state, kubernetesVersion: await gitVersionOf(access), endpoint: endpointOf(cluster.state.port), replicas }
  }

  async health(cluster: Cluster): Promise<HealthResult> {
    const checked = await this.check(cluster)
    return { ...checked, replicas: await countReadyReplicas(this.connections, cluster) }
  }

  /** Whether the endpoint serves (the other replicas are counted, not required: decision 0020). */
  private async check(cluster: Cluster): Promise<Omit<HealthResult, 'replicas'>> {
    if (!hasMaterials(cluster)) return { healthy: false, message: 'The control plane has not been started' }
    const version = cluster.runningVersion ?? cluster.version
    const release = this.releases().find((r) => r.minor === version)
    if (!release) return { healthy: false, message: `Kubernetes ${version} is no longer built on this server` }
    try {
      // Starts it when nothing supervises it (after a server restart); otherwise a no-op.
      await this.run(cluster, release)
    } catch (err) {
      return { healthy: false, message: `The API server cannot start: ${err instanceof Error ? err.message : String(err)}` }
    }
    const ready = await probeReady(this.connections.access(cluster))
    if (!ready.ok) return { healthy: false, message: `API server is not ready: ${ready.reason}` }
    await this.runControllerManager(cluster, release)
    if (!this.supervisor.status(controllerManagerKey(cluster.id))?.running) return { healthy: false, message: 'kube-controller-manager is not running' }
    return { healthy: true, message: 'Control plane is serving' }
  }

  async connection(cluster: Cluster): Promise<ConnectionDetails> {
    const { port } = cluster.state
    return {
      endpoint: cluster.endpoint ?? (port ? endpointOf(port) : ''),
      certificateAuthority: cluster.ca ? Buffer.from(cluster.ca.certPem).toString('base64') : '',
    }
  }

  /** Stop the process, delete the cluster's etcd prefix, remove its files. Safe to repeat. */
  async deprovision(cluster: Cluster): Promise<StepResult<LocalClusterState>> {
    await this.stopControlPlane(cluster.id)
    this.connections.forget(cluster.id)
    if (cluster.state.port !== undefined) await this.etcd.deletePrefix(`${etcdPrefixOf(cluster.id)}/`)
    rmSync(this.clusterDir(cluster.id), { recursive: true, force: true })
    return { done: true, state: cluster.state }
  }

  async writeSecret(cluster: Cluster, secret: SecretWrite): Promise<SecretWriteResult> {
    const notRunning = { ok: false as const, message: `Cluster "${cluster.name}" is not running`, unreachable: true }
    if (!hasMaterials(cluster)) return notRunning
    try {
      return await writeManagedSecret(this.connections.client(cluster).core, secret)
    } catch (err) {
      if (isUnreachable(err)) return notRunning
      throw err
    }
  }

  /**
   * Makes sure the cluster's API server runs this release (starting or swapping it), files
   * first. A no-op when it is already supervised with this command line.
   */
  private async run(cluster: Cluster, release: KubeRelease): Promise<void> {
    if (this.closed) throw new Error('the local provider is shutting down')
    if (!this.serverUrl) throw new Error('the Kupe server URL is not known yet')
    if (!hasMaterials(cluster)) throw new Error('the cluster has no certificates yet')
    const launch: ControlPlaneLaunch = {
      clusterId: cluster.id, dir: this.clusterDir(cluster.id), port: cluster.state.port, etcdUrl: await this.etcd.ensure(), release,
    }
    const apiserver = apiserverSpec(launch)
    const replicas = replicaPortsOf(cluster).map((port, i) => {
      const index = REPLICA_INDEXES[i]!
      return { key: replicaKey(cluster.id, index), spec: apiserverSpec(launch, { index, port }) }
    })
    if (this.supervisor.has(apiserverKey(cluster.id), apiserver) && replicas.every((r) => this.supervisor.has(r.key, r.spec))) return
    writeControlPlaneFiles(launch, {
      materials: openMaterials(this.deps.keys, cluster),
      tokenWebhookKubeconfig: tokenWebhookKubeconfig(this.serverUrl, cluster.id, tokenReviewSecret(this.deps.keys, cluster.id)),
    })
    await this.supervisor.ensure(apiserverKey(cluster.id), apiserver)
    for (const r of replicas) await this.supervisor.ensure(r.key, r.spec)
    // Side by side, it waits for its API server; on a very busy machine it may give up after 20 s
    // and is then simply restarted.
    await this.runControllerManager(cluster, release)
    this.connections.access(cluster)
    this.watchReady(cluster.id)
  }

  /** The controller manager follows its API server's release (a no-op when it already does). */
  private async runControllerManager(cluster: Cluster, release: KubeRelease): Promise<void> {
    await this.supervisor.ensure(controllerManagerKey(cluster.id), controllerManagerSpec({ dir: this.clusterDir(cluster.id), release }))
  }

  private async stopControlPlane(clusterId: string): Promise<void> {
    await this.supervisor.stop(controllerManagerKey(clusterId))
    for (const index of REPLICA_INDEXES) await this.supervisor.stop(replicaKey(clusterId, index))
    await this.supervisor.stop(apiserverKey(clusterId))
  }

  /**
   * Polls a (re)started API server until it serves, then wakes the cluster controller, so
   * Provisioning → Running and Degraded → Running follow within a poll of it being ready.
   */
  private watchReady(clusterId: string): void {
    if (this.watching.has(clusterId)) return
    this.watching.add(clusterId)
    const key = apiserverKey(clusterId)
    const deadline = this.deps.clock.now().getTime() + READY_WATCH_MS
    const watch = async (): Promise<void> => {
      for (;;) {
        const access = this.connections.remembered(clusterId)
        if (this.closed || !access || !this.supervisor.status(key) || this.deps.clock.now().getTime() > deadline) return
        if ((await probeReady(access)).ok) {
          this.deps.signal('clusters')
          return
        }
        await new Promise((r) => setTimeout(r, READY_POLL_MS).unref())
      }
    }
    void watch()
      .catch((err: unknown) => this.deps.logger.warn({ err, clusterId }, 'readiness watch failed'))
      .finally(() => this.watching.delete(clusterId))
  }
}

export const createLocalProvider: ProviderFactory = (deps) => new LocalProvider(deps)
