import { defineCommand } from '../framework/command.js'
import { editSecretTargets } from '../framework/edit-secret-targets.js'
import { notFound } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { formatTarget, parseTarget, sameTarget } from '../framework/sync-targets.js'
import { secretView } from '../views/secret.js'

export const secretTargetRemove = defineCommand<Record<string, never>, 'name' | 'target'>({
  path: ['secret', 'target', 'remove'],
  summary: 'Remove one sync target from a secret, keeping the others',
  description:
    'Remove one sync target (matched by cluster, namespace and effective Secret name). The Kubernetes Secret already ' +
    'written there stays; it is just no longer updated.',
  args: [
    { name: 'name', description: 'secret name' },
    { name: 'target', description: 'CLUSTER/NAMESPACE or CLUSTER/NAMESPACE/SECRET-NAME' },
  ],
  examples: ['kupe secret target remove db-password staging/default'],
  async run({ args, session, out }) {
    const target = parseTarget(args.target)
    const result = await editSecretTargets(session.api(), session.tenant(), args.name, (s) => {
      const sync = s.sync ?? []
      const kept = sync.filter((t) => !sameTarget(t, target, s.name))
      if (kept.length === sync.length) throw notFound(`secret "${s.name}" has no target ${formatTarget(target)}`)
      return { sync: kept }
    })
    if (out.structured(result.secret)) return Exit.Ok
    if (out.quiet) out.object(result.secret, secretView)
    else out.done(`Target ${formatTarget(target)} removed from secret "${args.name}".`)
    return Exit.Ok
  },
})
