import type { KubeConfig } from '@kubernetes/client-node'
import type { Logger } from 'pino'
import { Gauge, type Registry } from 'prom-client'
import { ControllerRunner } from '../controllers/runner.js'
import { readKubeconfig } from '../kube/kubeconfig.js'
import { sleep, systemClock, type Clock } from '../lib/clock.js'
import { appController } from './apps/app-reconciler.js'
import { installCrds } from './install-crds.js'
import { LEASE } from './labels.js'
import { DEFAULT_TIMING, LeaseElector, type ElectorTiming } from './leader/lease-elector.js'
import { ObjectClient } from './object-client.js'
import type { OperatorDeps } from './operator-deps.js'
import { projectController } from './projects/project-reconciler.js'
import { tenantController } from './tenants/tenant-reconciler.js'
import { createWatches, type Watches } from './watches.js'

export interface OperatorOptions {
  /** The host cluster: kubeconfig YAML, or a loaded KubeConfig (in-cluster, a file…). */
  kubeconfig: string | KubeConfig
  logger: Logger
  /** Reconcile and leadership metrics go here (the server's /metrics registry, or the operator's own). */
  metrics: Registry
  clock?: Clock
  /** This replica's name in the Lease; unique among replicas (host name and pid, or the pod's name). */
  identity: string
  /** Namespace of the Lease (it must exist); every operator of one cluster must use the same (LEASE). */
  leaseNamespace: string
  leaseName?: string
  /** Apply the CRDs when leading (the server's embedded operator does; a standalone one is installed by `kupe operator install`). */
  installCrds?: boolean
  /** How often every object is looked at without an event (default 60 s). */
  resyncMs?: number
  leaderElection?: ElectorTiming
}

export interface RunningOperator {
  isLeader(): boolean
  /** Stops reconciling, releases the Lease (a standby takes over at once) and returns when all is quiet. */
  stop(): Promise<void>
}

const CRD_RETRY_MS = 5_000

function leaderGauge(registry: Registry): Gauge<'identity'> {
  const name = 'kupe_operator_leader'
  return (registry.getSingleMetric(name) as Gauge<'identity'> | undefined) ??
    new Gauge({ name, help: 'Whether this operator replica holds the lease (1) or stands by (0)', labelNames: ['identity'], registers: [registry] })
}

/**
 * Runs the Kubernetes operator for one host cluster in this process (`kupe operator`, and the
 * server for every registered host cluster): it competes for the Lease, and while it leads it
 * watches Tenants, Projects, Apps and what they own, and reconciles them through the controller
 * runner. A lost lease stops the reconcilers at once; a regained one starts them afresh.
 */
export function startOperator(opts: OperatorOptions): RunningOperator {
  const kc = typeof opts.kubeconfig === 'string' ? readKubeconfig(opts.kubeconfig) : opts.kubeconfig
  const client = new ObjectClient(kc)
  const clock = opts.clock ?? systemClock
  const logger = opts.logger.child({ component: 'operator', identity: opts.identity })
  const gauge = leaderGauge(opts.metrics)
  gauge.set({ identity: opts.identity }, 0)
  let term: { runner: ControllerRunner<OperatorDeps>; watches: Watches; crds: AbortController } | undefined

  const elector = new LeaseElector({
    coordination: client.coordination,
    namespace: opts.leaseNamespace,
    name: opts.leaseName ?? LEASE.name,
    identity: opts.identity,
    clock,
    logger,
    timing: opts.leaderElection ?? DEFAULT_TIMING,
  })
  elector.start({
    async onStartedLeading() {
      let runner: ControllerRunner<OperatorDeps> | undefined
      const watches = createWatches(client, { clock, logger, wake: (controller, key, generation) => runner?.enqueue(controller, key, generation) })
      const deps: OperatorDeps = { client, caches: watches.caches, clock, logger }
      runner = new ControllerRunner(deps, [tenantController, projectController, appController], {
        clock, logger, registry: opts.metrics, resyncMs: opts.resyncMs ?? 60_000,
      })
      const crds = new AbortController()
      term = { runner, watches, crds }
      if (opts.installCrds) void keepInstallingCrds(client, clock, logger, crds.signal)
      runner.start()
      await watches.start()
      gauge.set({ identity: opts.identity }, 1)
    },
    async onStoppedLeading() {
      gauge.set({ identity: opts.identity }, 0)
      const ending = term
      term = undefined
      ending?.crds.abort()
      await ending?.watches.stop()
      await ending?.runner.stop()
    },
  })
  return { isLeader: () => elector.isLeader(), stop: () => elector.stop() }
}

/** Until it succeeds: the informers list again on their own once the CRDs are served. */
async function keepInstallingCrds(client: ObjectClient, clock: Clock, logger: Pick<Logger, 'info' | 'warn'>, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await installCrds(client, clock, signal)
      logger.info('CRDs applied and established')
      return
    } catch (err) {
      if (signal.aborted) return
      logger.warn({ err }, 'could not apply the CRDs; trying again')
      await sleep(clock, CRD_RETRY_MS, signal).catch(() => undefined)
    }
  }
}
