import { ok } from '../api/call.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForProject } from '../framework/wait-manager.js'

export const adminProjectDelete = defineCommand<WaitOpts & { yes?: boolean }, 'id'>({
  path: ['admin', 'project', 'delete'],
  summary: 'Delete a project and its namespace (refused while it has apps)',
  args: [{ name: 'id', description: 'project id' }],
  options: [{ flags: '-y, --yes', description: 'confirm: everything in the namespace goes' }, ...waitOptions],
  examples: ['kupe admin project delete $PROJECT_ID --yes --wait'],
  async run({ args, opts, session, out, io }) {
    if (!opts.yes) throw usageError(`deleting project ${args.id} deletes its namespace and everything in it; repeat with --yes`)
    const api = session.adminApi()
    await ok(api.DELETE('/v1/projects/{id}', { params: { path: { id: args.id } } }))
    if (!opts.wait) {
      out.done(`Project ${args.id} is being deleted.`)
      return Exit.Ok
    }
    const { elapsedMs } = await waitForProject({ api, io, id: args.id, target: 'deleted', timeoutMs: timeoutMs(opts) })
    out.done(`✓ Project ${args.id} is deleted (after ${formatElapsed(elapsedMs)}).`)
    return Exit.Ok
  },
})
