import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { notFound, usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { quotaOf, quotaOptions, type QuotaOpts } from '../framework/quota-options.js'

export const adminTenantPlace = defineCommand<QuotaOpts & { hostCluster?: string; planPool?: boolean }, 'name'>({
  path: ['admin', 'tenant', 'place'],
  summary: "Place a tenant on a host cluster and set its quota envelope; prints the tenant's id",
  description:
    "Bind a tenant to the host cluster its projects will live on (only while it has none) and/or set the envelope " +
    "all its projects' quotas must fit in (--plan-pool goes back to the plan's resource pool). Prints the tenant id " +
    'that `kupe admin project create --tenant-id` takes.',
  args: [{ name: 'name', description: 'tenant name' }],
  options: [
    { flags: '--host-cluster <id>', description: 'host cluster id (kupe admin host-cluster list)' },
    ...quotaOptions.map((o) => ({ ...o, description: o.description.replace(/quota.*$/, 'envelope of all its projects') })),
    { flags: '--plan-pool', description: "use the plan's resource pool as the envelope" },
  ],
  examples: ['TENANT_ID=$(kupe admin tenant place acme --host-cluster $HOST_CLUSTER_ID --cpu 8 --memory 32Gi -q)'],
  async run({ args, opts, session, out }) {
    const api = session.adminApi()
    const quota = quotaOf(opts)
    if (quota && opts.planPool) throw usageError('pass envelope amounts or --plan-pool, not both')
    if (!opts.hostCluster && !quota && !opts.planPool) throw usageError('nothing to change: pass --host-cluster and/or envelope amounts')
    const tenant = (await body(api.GET('/v1/tenants'))).find((t) => t.name === args.name)
    if (!tenant) throw notFound(`tenant "${args.name}" not found`)
    const placed = await body(api.PATCH('/v1/tenants/{id}', {
      params: { path: { id: tenant.id } },
      body: { ...(opts.hostCluster ? { clusterID: opts.hostCluster } : {}), ...(quota ? { quota } : opts.planPool ? { quota: null } : {}) },
    }))
    if (out.structured(placed)) return Exit.Ok
    if (out.quiet) out.raw(`${placed.id}\n`)
    else out.done(`Tenant "${placed.name}" (${placed.id}) is on host cluster ${placed.cluster_id ?? 'none'}; envelope ${JSON.stringify(placed.envelope)}.`)
    return Exit.Ok
  },
})
