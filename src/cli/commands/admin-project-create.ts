import { body } from '../api/call.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { quotaOf, quotaOptions, type QuotaOpts } from '../framework/quota-options.js'
import { waitForProject } from '../framework/wait-manager.js'
import { projectView } from '../views/project.js'

interface Opts extends WaitOpts, QuotaOpts {
  tenantId: string
  namespace?: string
}

export const adminProjectCreate = defineCommand<Opts, 'name'>({
  path: ['admin', 'project', 'create'],
  summary: "Create a project (a namespace with quota and isolation) on a tenant's host cluster",
  args: [{ name: 'name', description: 'project name (DNS label)' }],
  options: [
    { flags: '--tenant-id <id>', description: 'the tenant (its id from `kupe admin tenant get`)', required: true },
    { flags: '--namespace <name>', description: 'namespace (default kubeop-<tenant>-<project>)' },
    ...quotaOptions,
    ...waitOptions,
  ],
  examples: ['kupe admin project create web --tenant-id $TENANT_ID --cpu 2 --memory 4Gi --wait'],
  async run({ args, opts, session, out, io }) {
    const api = session.adminApi()
    const quota = quotaOf(opts)
    const created = await body(api.POST('/v1/projects', {
      body: { tenantID: opts.tenantId, name: args.name, ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(quota ? { quota } : {}) },
    }))
    const project = opts.wait ? (await waitForProject({ api, io, id: created.id, target: 'ready', timeoutMs: timeoutMs(opts) })).project ?? created : created
    if (out.structured(project)) return Exit.Ok
    if (out.quiet) out.object(project, projectView)
    else out.done(`Project "${project.name}" (${project.id}) is ${project.status.phase} in namespace ${project.namespace}.`)
    return Exit.Ok
  },
})
