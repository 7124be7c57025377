import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { parseTarget } from '../framework/sync-targets.js'
import { secretView } from '../views/secret.js'

export const secretCreate = defineCommand<{ path: string; target?: string[] }, 'name'>({
  path: ['secret', 'create'],
  summary: 'Define a managed secret: a vault path synced into cluster namespaces',
  description:
    'Define a managed secret that copies the vault entry at --path into a Kubernetes Secret in each --target ' +
    '(CLUSTER/NAMESPACE, or CLUSTER/NAMESPACE/SECRET-NAME; the Secret is named after the managed secret by default). ' +
    'Values are written with `kupe vault put`, never here.',
  args: [{ name: 'name', description: 'secret name (DNS label, 2-63 characters)' }],
  options: [
    { flags: '--path <vault-path>', description: 'vault path to read, e.g. production/db', required: true },
    { flags: '--target <cluster/namespace[/secret-name]>', description: 'where to sync it (repeatable)', repeatable: true },
  ],
  examples: ['kupe secret create db-password --path production/db --target web/default --target web/backend/database-credentials'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    const created = await body(
      session.api().POST('/api/v1/tenants/{tenant}/secrets', {
        params: { path: { tenant } },
        body: { name: args.name, secretPath: opts.path, ...(opts.target ? { sync: opts.target.map(parseTarget) } : {}) },
      }),
    )
    if (out.structured(created)) return Exit.Ok
    if (out.quiet) out.object(created, secretView)
    else out.done(`Secret "${created.name}" created from vault path ${created.secretPath} with ${created.sync?.length ?? 0} target(s).`)
    return Exit.Ok
  },
})
