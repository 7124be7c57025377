import { KubeConfig } from '@kubernetes/client-node'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { ElectorTiming } from './leader/lease-elector.js'
import { startOperator } from './start-operator.js'

export interface StandaloneOptions {
  /** A kubeconfig file; without one, the pod's service account (in-cluster). */
  kubeconfigPath?: string
  identity: string
  leaseNamespace: string
  installCrds: boolean
  /** Serve /healthz and /metrics here (`host:port`, port 0 for any); nothing when omitted. */
  listen?: { host: string; port: number }
  leaderElection?: ElectorTiming
  logger: Logger
}

export interface StandaloneOperator {
  /** Where /healthz and /metrics are served, when they are. */
  url?: string
  stop(): Promise<void>
}

/**
 * `kupe operator`: the operator as its own process, with its own metrics registry and a small
 * HTTP endpoint for probes and scraping (two routes on node:http; the API server's Fastify stack
 * would add nothing here).
 */
export async function runStandaloneOperator(opts: StandaloneOptions): Promise<StandaloneOperator> {
  const kc = new KubeConfig()
  if (opts.kubeconfigPath) kc.loadFromFile(opts.kubeconfigPath)
  else kc.loadFromCluster()
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const operator = startOperator({
    kubeconfig: kc, logger: opts.logger, metrics: registry, identity: opts.identity, leaseNamespace: opts.leaseNamespace,
    installCrds: opts.installCrds, ...(opts.leaderElection ? { leaderElection: opts.leaderElection } : {}),
  })
  let server: Server | undefined
  let url: string | undefined
  if (opts.listen) {
    server = createServer((req, res) => {
      if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
      if (req.url === '/metrics') {
        void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    })
    const s = server
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.listen(opts.listen!.port, opts.listen!.host, () => resolve())
    })
    const address = s.address() as AddressInfo
    url = `http://${address.address === '0.0.0.0' ? '127.0.0.1' : address.address}:${address.port}`
    opts.logger.info({ url }, 'operator health and metrics listening')
  }
  return {
    ...(url ? { url } : {}),
    async stop() {
      await operator.stop()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    },
  }
}
