import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { parseTarget } from '../framework/sync-targets.js'
import { secretView } from '../views/secret.js'

export const secretUpdate = defineCommand<IfMatchOpts & { target?: string[]; clearTargets?: boolean }, 'name'>({
  path: ['secret', 'update'],
  summary: 'Replace the complete list of sync targets of a secret',
  description:
    'Replace all sync targets of a managed secret with the --target list (or none with --clear-targets). ' +
    'To add or remove one target keep the others with `kupe secret target add|remove`. Secrets already written ' +
    'to removed targets are left in place.',
  args: [{ name: 'name', description: 'secret name' }],
  options: [
    { flags: '--target <cluster/namespace[/secret-name]>', description: 'a target of the new list (repeatable)', repeatable: true },
    { flags: '--clear-targets', description: 'remove every target, keep the definition' },
    ifMatchOption,
  ],
  examples: ['kupe secret update db-password --target web/default --target api/default', 'kupe secret update db-password --clear-targets'],
  async run({ args, opts, session, out }) {
    if (!opts.target && !opts.clearTargets) throw usageError('pass the new targets with --target, or --clear-targets')
    if (opts.target && opts.clearTargets) throw usageError('pass --target or --clear-targets, not both')
    const tenant = session.tenant()
    const updated = await body(
      session.api().PATCH('/api/v1/tenants/{tenant}/secrets/{name}', {
        params: { path: { tenant, name: args.name } },
        body: { sync: (opts.target ?? []).map(parseTarget) },
        headers: ifMatchHeader(opts),
      }),
    )
    out.object(updated, secretView)
    return Exit.Ok
  },
})
