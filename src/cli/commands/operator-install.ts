import { defineCommand } from '../framework/command.js'
import { CliError, usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

interface OperatorInstallOptions {
  kubeconfig?: string
  namespace: string
  withOperator?: boolean
  image?: string
  replicas: string
  print?: boolean
}

export const operatorInstall = defineCommand<OperatorInstallOptions>({
  path: ['operator', 'install'],
  summary: 'Install the CRDs and the operator\'s RBAC on a host cluster (and, with a flag, the operator)',
  description:
    'Applies, server-side and idempotently: the Tenant, Project and App CRDs (platform.kubeop.io/v1alpha1); the namespace, ' +
    'ServiceAccount, a ClusterRole with exactly what the operator does and its binding, and a Role for its leader Lease; with ' +
    '--with-operator also a Deployment of two replicas running `kupe operator` from --image. --print writes the manifests instead.',
  options: [
    { flags: '--kubeconfig <file>', description: 'kubeconfig of the host cluster (default: $KUBECONFIG or ~/.kube/config)' },
    { flags: '--namespace <namespace>', description: 'namespace of the operator (its Lease is kube-system/kupe-operator)', default: 'kupe-system' },
    { flags: '--with-operator', description: 'also deploy the operator (needs --image)' },
    { flags: '--image <image>', description: 'image with `kupe` on its PATH' },
    { flags: '--replicas <n>', description: 'operator replicas (one leads)', default: '2' },
    { flags: '--print', description: 'print the manifests as YAML; apply nothing' },
  ],
  examples: [
    'kupe operator install --kubeconfig ~/.kube/host.yaml',
    'kupe operator install --kubeconfig ~/.kube/host.yaml --with-operator --image registry.example/kupe:0.1.0',
    'kupe operator install --print --with-operator --image registry.example/kupe:0.1.0 > operator.yaml',
  ],
  async run({ opts, out }) {
    if (opts.withOperator && !opts.image) throw usageError('--with-operator needs --image')
    if (opts.image && !opts.withOperator) throw usageError('--image is only used with --with-operator')
    const replicas = Number(opts.replicas)
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) throw usageError('--replicas must be between 1 and 10')
    const plan = { namespace: opts.namespace, ...(opts.withOperator && opts.image ? { image: opts.image, replicas } : {}) }
    const { installOperator, renderManifests } = await import('../../operator/install/install-operator.js')
    if (opts.print) {
      out.raw(renderManifests(plan))
      return Exit.Ok
    }
    const { connectOperatorClient } = await import('../../operator/connect.js')
    const { messageOf, statusOf } = await import('../../operator/object-client.js')
    let applied: string[]
    try {
      applied = await installOperator(connectOperatorClient(opts.kubeconfig), plan)
    } catch (err) {
      const status = statusOf(err)
      const kind = status === undefined ? 'unavailable' : status === 401 || status === 403 ? 'unauthenticated' : 'other'
      throw new CliError(kind, `the host cluster refused the install: ${messageOf(err)}`)
    }
    if (out.structured({ applied })) return Exit.Ok
    for (const name of applied) out.raw(`${name} applied\n`)
    return Exit.Ok
  },
})
