import { HA_REPLICAS, type ProviderCluster } from '../../domain/clusters/schema.js'
import { TerminalProviderError } from '../errors.js'
import type { ReplicaCount, StepResult } from '../types.js'
import { endpointOf, probeReady, type ClusterConnections } from './cluster-connections.js'
import { hasMaterials } from './cluster-pki.js'
import type { LocalClusterState } from './local-cluster-state.js'
import { freePorts } from './ports.js'
import type { ProcessSupervisor } from './supervisor.js'

type Cluster = ProviderCluster<LocalClusterState>

/**
 * The other kube-apiservers of a cluster with high availability (decision 0020): indexes 2 and 3
 * (the first is the one at the endpoint), each supervised under its own key on its own port.
 */
export const REPLICA_INDEXES = Array.from({ length: HA_REPLICAS - 1 }, (_, i) => i + 2)
export const replicaKey = (clusterId: string, index: number) => `apiserver-replica:${clusterId}:${index}`

/** The ports of the other replicas a cluster should run (none without high availability). */
export const replicaPortsOf = (cluster: Cluster): number[] => (cluster.highAvailability ? (cluster.state.replicaPorts ?? []) : [])

/** An HA cluster whose replica ports are not chosen yet gets them (saved before they start, like the first port). */
export async function withReplicaPorts(cluster: Cluster): Promise<StepResult<LocalClusterState> | undefined> {
  if (!cluster.highAvailability || (cluster.state.replicaPorts ?? []).length >= REPLICA_INDEXES.length) return undefined
  const replicaPorts = await freePorts(REPLICA_INDEXES.length, [cluster.state.port])
  return { done: false, state: { ...cluster.state, replicaPorts }, message: 'Ports chosen for the API server replicas', retryAfterMs: 0 }
}

/** Replicas that answer /readyz, each through its own port with the cluster's CA. */
export async function countReadyReplicas(connections: ClusterConnections, cluster: Cluster): Promise<ReplicaCount> {
  const desired = cluster.highAvailability ? HA_REPLICAS : 1
  if (!hasMaterials(cluster)) return { ready: 0, desired }
  const access = connections.access(cluster)
  const servers = [access, ...replicaPortsOf(cluster).map((port) => ({ ...access, server: endpointOf(port) }))]
  const ready = (await Promise.all(servers.map((a) => probeReady(a)))).filter((r) => r.ok).length
  return { ready, desired }
}

/**
 * A replica that keeps exiting (`crashes` times) because its port was taken meanwhile gets
 * another (replica ports are never handed out); one that keeps exiting for another reason has
 * failed for good.
 */
export async function replaceTakenReplicaPort(
  supervisor: ProcessSupervisor, cluster: Cluster, crashes: number, reasonOf: (logTail: string | undefined) => string,
): Promise<StepResult<LocalClusterState> | undefined> {
  const ports = replicaPortsOf(cluster)
  for (const [i, index] of REPLICA_INDEXES.entries()) {
    const status = supervisor.status(replicaKey(cluster.id, index))
    if (!status || status.crashes < crashes || ports[i] === undefined) continue
    const reason = reasonOf(status.lastExit?.logTail)
    await supervisor.stop(replicaKey(cluster.id, index))
    if (!/address already in use/.test(reason)) {
      throw new TerminalProviderError(`kube-apiserver replica ${index} keeps exiting: ${reason || `exit ${String(status.lastExit?.code)}`}`)
    }
    const replicaPorts = [...ports]
    replicaPorts[i] = (await freePorts(1, [cluster.state.port, ...ports]))[0]!
    return { done: false, state: { ...cluster.state, replicaPorts }, message: 'Port taken; choosing another for an API server replica', retryAfterMs: 0 }
  }
  return undefined
}
