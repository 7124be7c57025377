import { ok } from '../api/call.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForApp } from '../framework/wait-manager.js'

export const adminAppDelete = defineCommand<WaitOpts & { yes?: boolean }, 'id'>({
  path: ['admin', 'app', 'delete'],
  summary: 'Delete an app and everything it made (Deployment, Service, Ingress, hook Jobs)',
  args: [{ name: 'id', description: 'app id' }],
  options: [{ flags: '-y, --yes', description: 'confirm' }, ...waitOptions],
  examples: ['kupe admin app delete $APP_ID --yes --wait'],
  async run({ args, opts, session, out, io }) {
    if (!opts.yes) throw usageError(`deleting app ${args.id} removes its workloads; repeat with --yes`)
    const api = session.adminApi()
    await ok(api.DELETE('/v1/apps/{id}', { params: { path: { id: args.id } } }))
    if (!opts.wait) {
      out.done(`App ${args.id} is being deleted.`)
      return Exit.Ok
    }
    const { elapsedMs } = await waitForApp({ api, io, id: args.id, target: 'deleted', timeoutMs: timeoutMs(opts) })
    out.done(`✓ App ${args.id} is deleted (after ${formatElapsed(elapsedMs)}).`)
    return Exit.Ok
  },
})
