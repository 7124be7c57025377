import { defineCommand } from '../framework/command.js'
import { editSecretTargets } from '../framework/edit-secret-targets.js'
import { Exit } from '../framework/exit-codes.js'
import { formatTarget, parseTarget, sameTarget } from '../framework/sync-targets.js'
import { secretView } from '../views/secret.js'

export const secretTargetAdd = defineCommand<Record<string, never>, 'name' | 'target'>({
  path: ['secret', 'target', 'add'],
  summary: 'Add one sync target to a secret, keeping the others',
  args: [
    { name: 'name', description: 'secret name' },
    { name: 'target', description: 'CLUSTER/NAMESPACE or CLUSTER/NAMESPACE/SECRET-NAME' },
  ],
  examples: ['kupe secret target add db-password staging/default', 'kupe secret target add db-password web/backend/database-credentials'],
  async run({ args, session, out }) {
    const target = parseTarget(args.target)
    const result = await editSecretTargets(session.api(), session.tenant(), args.name, (s) => {
      const sync = s.sync ?? []
      if (sync.some((t) => sameTarget(t, target, s.name))) return { unchanged: `Secret "${s.name}" already syncs to ${formatTarget(target)}.` }
      return { sync: [...sync, target] }
    })
    if (out.structured(result.secret)) return Exit.Ok
    if (out.quiet) out.object(result.secret, secretView)
    else out.done(result.reason ?? `Target ${formatTarget(target)} added to secret "${args.name}".`)
    return Exit.Ok
  },
})
