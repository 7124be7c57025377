import { body } from '../api/call.js'
import { appSpecOf, appSpecOptions, type AppSpecOpts } from '../framework/app-options.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForApp } from '../framework/wait-manager.js'
import { appView } from '../views/app.js'

export const adminAppUpdate = defineCommand<AppSpecOpts & WaitOpts, 'id'>({
  path: ['admin', 'app', 'update'],
  summary: 'Change an app; a new image or spec rolls out a new revision (hooks run again)',
  args: [{ name: 'id', description: 'app id' }],
  options: [...appSpecOptions, ...waitOptions],
  examples: ['kupe admin app update $APP_ID --image ghcr.io/acme/web:1.5 --wait'],
  async run({ args, opts, session, out, io }) {
    const spec = appSpecOf(opts)
    if (Object.keys(spec).length === 0) throw usageError('nothing to change: pass at least one of --image, --replicas, --port, --env, --host, --command, --pre-hook, --post-hook')
    const api = session.adminApi()
    const patched = await body(api.PATCH('/v1/apps/{id}', { params: { path: { id: args.id } }, body: spec }))
    const app = opts.wait ? (await waitForApp({ api, io, id: args.id, target: 'ready', timeoutMs: timeoutMs(opts) })) : { app: patched, elapsedMs: 0 }
    if (!app.app || out.structured(app.app)) return Exit.Ok
    if (out.quiet) out.object(app.app, appView)
    else if (opts.wait) out.done(`✓ App "${app.app.name}" rolled out revision ${app.app.status.revision ?? '?'} (after ${formatElapsed(app.elapsedMs)}).`)
    else out.done(`App "${app.app.name}" updated to generation ${app.app.generation}.`)
    return Exit.Ok
  },
})
