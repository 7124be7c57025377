import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs'
import { dirname } from 'node:path'
import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { kubeconfigPathOf, mergeKubeconfig } from '../framework/kubeconfig.js'

interface Opts {
  print?: boolean
  file?: string
  setCurrent: boolean
}

export const clusterKubeconfig = defineCommand<Opts, 'name'>({
  path: ['cluster', 'kubeconfig'],
  summary: 'Merge a kubeconfig for a cluster into ~/.kube/config (or print it)',
  description:
    'Fetch a kubeconfig with a new 8-hour credential (your role) and merge its context kupe-<tenant>-<cluster> into ' +
    '--file, else the first file of KUBECONFIG, else ~/.kube/config. Other entries are kept; an entry of the same name ' +
    'is replaced. The context becomes the current one unless --no-set-current. --print writes it to stdout instead.',
  args: [{ name: 'name', description: 'cluster name' }],
  options: [
    { flags: '--print', description: 'print the kubeconfig to stdout instead of merging it' },
    { flags: '--file <path>', description: 'kubeconfig file to merge into' },
    { flags: '--no-set-current', description: 'do not switch current-context to the new context' },
  ],
  examples: ['kupe cluster kubeconfig web && kubectl get nodes', 'kupe cluster kubeconfig web --print > web.kubeconfig'],
  async run({ args, opts, session, out, io }) {
    const tenant = session.tenant()
    const { data, response } = await ok(
      session.api().GET('/api/v1/tenants/{tenant}/clusters/{name}/kubeconfig', {
        params: { path: { tenant, name: args.name }, query: { format: 'yaml' } },
        parseAs: 'text',
      }),
    )
    const yaml = String(data)
    if (opts.print) {
      out.raw(yaml.endsWith('\n') ? yaml : `${yaml}\n`)
      return Exit.Ok
    }
    const path = kubeconfigPathOf(opts.file, io.env)
    const merged = await mergeKubeconfig(existsSync(path) ? readFileSync(path, 'utf8') : undefined, yaml, { setCurrent: opts.setCurrent, path })
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    writeFileSync(path, merged, { mode: 0o600 })
    chmodSync(path, 0o600)
    const context = `kupe-${tenant}-${args.name}`
    const credential = response.headers.get('kupe-credential-id')
    out.done(
      `Context "${context}" merged into ${path}${opts.setCurrent ? ' and made current' : ''}` +
        `${credential ? ` (credential ${credential}, valid 8h)` : ''}.`,
    )
    return Exit.Ok
  },
})
