import { hostname } from 'node:os'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Clock } from '../lib/clock.js'
import { LEASE } from './labels.js'
import { startOperator, type RunningOperator } from './start-operator.js'

/**
 * The operators `kupe server` runs in-process, one per registered host cluster (issue 11: the
 * embedded default needs nothing else started). Every replica runs one for every host cluster;
 * the Lease on each host cluster lets one of them act, and another takes over when it goes.
 */
export interface HostOperators {
  /** Runs the operator for this host cluster with this kubeconfig (restarts it when the kubeconfig changed). */
  ensure(hostClusterId: string, kubeconfigYaml: string): void
  stop(hostClusterId: string): Promise<void>
  /** The host clusters an operator runs for. */
  running(): string[]
  stopAll(): Promise<void>
}


export function createHostOperators(opts: { logger: Logger; metrics: Registry; clock: Clock; resyncMs?: number }): HostOperators {
  const running = new Map<string, { kubeconfig: string; operator: RunningOperator }>()
  const identity = `kupe-server-${hostname()}-${process.pid}`
  const stop = async (id: string) => {
    const entry = running.get(id)
    running.delete(id)
    await entry?.operator.stop()
  }
  return {
    ensure(id, kubeconfig) {
      const current = running.get(id)
      if (current?.kubeconfig === kubeconfig) return
      if (current) void current.operator.stop()
      const operator = startOperator({
        kubeconfig, logger: opts.logger.child({ hostCluster: id }), metrics: opts.metrics, clock: opts.clock, identity,
        leaseNamespace: LEASE.namespace, installCrds: true, resyncMs: opts.resyncMs,
      })
      running.set(id, { kubeconfig, operator })
    },
    stop,
    running: () => [...running.keys()],
    stopAll: async () => {
      await Promise.all([...running.keys()].map(stop))
    },
  }
}
