import { readFileSync } from 'node:fs'
import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { hostClusterView } from '../views/host-cluster.js'

export const adminHostClusterRegister = defineCommand<{ kubeconfig: string; bootstrap: boolean }, 'name'>({
  path: ['admin', 'host-cluster', 'register'],
  summary: 'Register a host cluster (where tenants\' projects and apps run) from a kubeconfig',
  description:
    'Read a kubeconfig file and register its current context as a host cluster. The server checks the cluster ' +
    '(/readyz, /version, nodes) before storing the kubeconfig, encrypted. Only inline credentials are accepted ' +
    '(flatten with `kubectl config view --raw --flatten`). Not a tenant cluster: see `kupe cluster`.',
  args: [{ name: 'name', description: 'host cluster name (DNS label)' }],
  options: [
    { flags: '--kubeconfig <file>', description: 'kubeconfig of the host cluster (its current context)', required: true },
    { flags: '--no-bootstrap', description: 'do not run the operator for it in `kupe server` (you run `kupe operator` there)' },
  ],
  examples: ['kupe admin host-cluster register dev --kubeconfig ~/.kube/dev.yaml', 'ID=$(kupe admin host-cluster register dev --kubeconfig dev.yaml -q)'],
  async run({ args, opts, session, out }) {
    const kubeconfig = readFileSync(opts.kubeconfig, 'utf8')
    const created = await body(session.adminApi().POST('/v1/clusters', { body: { name: args.name, kubeconfig, autoBootstrap: opts.bootstrap } }))
    if (out.structured(created)) return Exit.Ok
    if (out.quiet) out.object(created, hostClusterView)
    else out.done(`Host cluster "${created.name}" registered (${created.status.phase}, Kubernetes ${created.status.server_version ?? '?'}): ${created.id}`)
    return Exit.Ok
  },
})
