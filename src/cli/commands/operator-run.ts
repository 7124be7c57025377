import { hostname } from 'node:os'
import { pino } from 'pino'
import { defineCommand } from '../framework/command.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

interface OperatorRunOptions {
  kubeconfig?: string
  identity?: string
  leaseNamespace: string
  leaseDurationSeconds: string
  installCrds?: boolean
  listen?: string
  logLevel: string
}

function parseListen(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(':')
  const port = Number(v.slice(i + 1))
  if (i < 1 || !Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--listen must be host:port, got "${v}"`)
  return { host: v.slice(0, i), port }
}

/** client-go's proportions (15 s lease, 10 s renew deadline, 2 s retry) at any lease length. */
function leaseTiming(seconds: string) {
  const s = Number(seconds)
  if (!Number.isFinite(s) || s < 2 || s > 300) throw usageError('--lease-duration-seconds must be between 2 and 300')
  const leaseDurationMs = s * 1000
  return { leaseDurationMs, renewDeadlineMs: Math.round((leaseDurationMs * 2) / 3), retryMs: Math.max(250, Math.round(leaseDurationMs / 7.5)) }
}

/**
 * Runs until SIGINT or SIGTERM. The one command that waits for a signal, so it listens on the
 * process itself (the Io seam has no signals; every other command returns on its own).
 */
const untilStopped = () => new Promise<string>((resolve) => {
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve(s))
})

export const operatorRun = defineCommand<OperatorRunOptions>({
  path: ['operator'],
  summary: 'Run the Kubernetes operator for one host cluster (Tenants, Projects, Apps)',
  description:
    'Runs the operator in this process against one host cluster: it competes for the Lease in --lease-namespace, and while it leads ' +
    'it reconciles Tenant, Project and App objects. Without --kubeconfig it uses the in-cluster service account (run it as a Deployment ' +
    'made by `kupe operator install --with-operator`). Logs go to stderr; /healthz and /metrics on --listen.',
  options: [
    { flags: '--kubeconfig <file>', description: 'kubeconfig of the host cluster (default: in-cluster service account)' },
    { flags: '--identity <name>', description: 'this replica in the Lease (default: <hostname>-<pid>)' },
    { flags: '--lease-namespace <namespace>', description: 'namespace of the leader Lease kupe-operator (every operator of a cluster must use the same one)', default: 'kube-system' },
    { flags: '--lease-duration-seconds <n>', description: 'how long a Lease nobody renews stays with its holder', default: '15' },
    { flags: '--install-crds', description: 'apply the CRDs when leading (needs rights on customresourcedefinitions)' },
    { flags: '--listen <host:port>', description: 'serve /healthz and /metrics here' },
    { flags: '--log-level <level>', description: 'trace … fatal, or silent', default: 'info' },
  ],
  examples: [
    'kupe operator --kubeconfig ~/.kube/host.yaml --install-crds',
    'kupe operator --listen 0.0.0.0:8081        # in a pod: in-cluster credentials',
  ],
  async run({ opts, io }) {
    const timing = leaseTiming(opts.leaseDurationSeconds)
    const listen = opts.listen ? parseListen(opts.listen) : undefined
    const logger = pino({ level: opts.logLevel }, pino.destination(2))
    // Loaded only here: the operator and the Kubernetes client are heavy for every other command.
    const { runStandaloneOperator } = await import('../../operator/standalone-operator.js')
    const operator = await runStandaloneOperator({
      ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}),
      identity: opts.identity ?? `${hostname()}-${process.pid}`,
      leaseNamespace: opts.leaseNamespace,
      installCrds: !!opts.installCrds,
      ...(listen ? { listen } : {}),
      leaderElection: timing,
      logger,
    })
    if (operator.url) io.stderr.write(`operator: /healthz and /metrics on ${operator.url}\n`)
    const signal = await untilStopped()
    logger.info({ signal }, 'stopping: releasing the lease')
    await operator.stop()
    return Exit.Ok
  },
})
