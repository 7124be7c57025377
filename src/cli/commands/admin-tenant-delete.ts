import { ok } from '../api/call.js'
import type { Schemas } from '../api/client.js'
import { timeoutMs, waitOptions, type WaitOpts } from '../framework/cluster-options.js'
import { defineCommand } from '../framework/command.js'
import { formatElapsed } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { waitUntil } from '../framework/wait-until.js'

export const adminTenantDelete = defineCommand<WaitOpts & { yes?: boolean }, 'name'>({
  path: ['admin', 'tenant', 'delete'],
  summary: 'Delete a tenant and everything it owns (its clusters first; asynchronous)',
  args: [{ name: 'name', description: 'tenant name' }],
  options: [{ flags: '-y, --yes', description: 'confirm: this cannot be undone' }, ...waitOptions],
  examples: ['kupe admin tenant delete acme --yes', 'kupe admin tenant delete acme --yes --wait'],
  async run({ args, opts, session, out, io }) {
    if (!opts.yes) throw usageError(`deleting tenant "${args.name}" destroys its clusters, secrets and keys; repeat with --yes`)
    const api = session.adminApi()
    const path = { params: { path: { name: args.name } } }
    await ok(api.DELETE('/api/v1/admin/tenants/{name}', path))
    if (!opts.wait) {
      out.done(`Tenant "${args.name}" is being deleted (its clusters first).`)
      return Exit.Ok
    }
    const { elapsedMs } = await waitUntil<Schemas['Tenant']>({
      io, label: `tenant ${args.name}`, goal: 'deleted', timeoutMs: timeoutMs(opts),
      read: async () => {
        const res = await api.GET('/api/v1/admin/tenants/{name}', path)
        if (res.response.status === 404) return undefined
        return (await ok(Promise.resolve(res))).data
      },
      reached: (t) => t === undefined,
      describe: (t) => ({ phase: t.status.phase, detail: `${t.status.clusterCount} cluster(s) left` }),
    })
    out.done(`✓ Tenant "${args.name}" is deleted (after ${formatElapsed(elapsedMs)}).`)
    return Exit.Ok
  },
})
