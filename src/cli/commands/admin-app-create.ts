import { body } from '../api/call.js'
import { appSpecOf, appSpecOptions, type AppSpecOpts } from '../framework/app-options.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitForApp } from '../framework/wait-manager.js'
import { appView } from '../views/app.js'

export const adminAppCreate = defineCommand<AppSpecOpts & WaitOpts & { project: string }, 'name'>({
  path: ['admin', 'app', 'create'],
  summary: 'Create an app in a project: a Deployment, a Service, hooks; --wait follows the rollout',
  args: [{ name: 'name', description: 'app name (DNS label)' }],
  options: [{ flags: '--project <id>', description: 'the project', required: true }, ...appSpecOptions, ...waitOptions],
  examples: [
    'kupe admin app create web --project $PROJECT_ID --image ghcr.io/acme/web:1.4 --port 8080 --wait',
    "kupe admin app create api --project $PROJECT_ID --image ghcr.io/acme/api:2 --pre-hook migrate='./migrate up' --wait --timeout 5m",
  ],
  async run({ args, opts, session, out, io }) {
    const spec = appSpecOf(opts)
    if (!spec.image) throw usageError('--image is required')
    const api = session.adminApi()
    const created = await body(api.POST('/v1/apps', { body: { projectID: opts.project, name: args.name, ...spec, image: spec.image } }))
    if (!opts.wait) {
      if (out.structured(created)) return Exit.Ok
      if (out.quiet) out.object(created, appView)
      else out.done(`App "${created.name}" created (${created.id}). Follow it with: kupe admin app get ${created.id}`)
      return Exit.Ok
    }
    const { app, elapsedMs } = await waitForApp({ api, io, id: created.id, target: 'ready', timeoutMs: timeoutMs(opts) })
    if (!app || out.structured(app)) return Exit.Ok
    if (out.quiet) out.object(app, appView)
    else out.done(`✓ App "${app.name}" is Ready: ${app.status.available_replicas}/${app.replicas} available, revision ${app.status.revision ?? '?'} (after ${formatElapsed(elapsedMs)}).`)
    return Exit.Ok
  },
})
