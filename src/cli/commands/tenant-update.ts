import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { ifMatchHeader, ifMatchOption, type IfMatchOpts } from '../framework/common-options.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { tenantView } from '../views/tenant.js'

interface Opts extends IfMatchOpts {
  plan?: string
  enforceMetricsLimit?: string
  enforceLogLimit?: string
}

const bool = (flag: string, v: string | undefined): boolean | undefined => {
  if (v === undefined) return undefined
  if (v === 'true' || v === 'false') return v === 'true'
  throw usageError(`${flag} takes true or false, got "${v}"`)
}

export const tenantUpdate = defineCommand<Opts>({
  path: ['tenant', 'update'],
  summary: 'Change the plan or the observability limits',
  options: [
    { flags: '--plan <name>', description: 'switch to this plan (see `kupe plan list`)' },
    { flags: '--enforce-metrics-limit <bool>', description: 'true: the metrics allowance is a hard limit; false: overage is billed' },
    { flags: '--enforce-log-limit <bool>', description: 'true: the log allowance is a hard limit; false: overage is billed' },
    ifMatchOption,
  ],
  examples: ['kupe tenant update --plan business', 'kupe tenant update --enforce-log-limit false'],
  async run({ opts, session, out }) {
    const patch = {
      ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
      ...(opts.enforceMetricsLimit !== undefined ? { enforceMetricsLimit: bool('--enforce-metrics-limit', opts.enforceMetricsLimit) } : {}),
      ...(opts.enforceLogLimit !== undefined ? { enforceLogLimit: bool('--enforce-log-limit', opts.enforceLogLimit) } : {}),
    }
    if (Object.keys(patch).length === 0) throw usageError('nothing to change: pass --plan, --enforce-metrics-limit or --enforce-log-limit')
    const tenant = session.tenant()
    const updated = await body(
      session.api().PATCH('/api/v1/tenants/{tenant}', { params: { path: { tenant } }, body: patch, headers: ifMatchHeader(opts) }),
    )
    out.object(updated, tenantView)
    return Exit.Ok
  },
})
