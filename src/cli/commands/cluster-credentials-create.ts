import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { parseDuration } from '../framework/duration.js'
import { Exit } from '../framework/exit-codes.js'

interface Opts {
  role?: 'admin' | 'readonly'
  ttl?: string
}

export const clusterCredentialsCreate = defineCommand<Opts, 'cluster'>({
  path: ['cluster', 'credentials', 'create'],
  summary: 'Issue a short-lived credential for one cluster and print its token once',
  description:
    'Issue a credential that works only on this cluster (default role: yours; default lifetime 8h, at most 30d). ' +
    'The token is printed once; with -q only the token is printed.',
  args: [{ name: 'cluster', description: 'cluster name' }],
  options: [
    { flags: '--role <role>', description: 'admin or readonly (at most your own role)', choices: ['admin', 'readonly'] },
    { flags: '--ttl <duration>', description: 'lifetime, 1m to 30d, e.g. 2h' },
  ],
  examples: ['kupe cluster credentials create web --role readonly --ttl 2h', 'TOKEN=$(kupe cluster credentials create web -q)'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    const created = await body(
      session.api().POST('/api/v1/tenants/{tenant}/clusters/{name}/credentials', {
        params: { path: { tenant, name: args.cluster } },
        body: {
          ...(opts.role ? { role: opts.role } : {}),
          ...(opts.ttl ? { ttlSeconds: Math.round(parseDuration(opts.ttl, '--ttl') / 1000) } : {}),
        },
      }),
    )
    if (out.structured(created)) return Exit.Ok
    if (out.quiet) out.raw(`${created.token}\n`)
    else {
      out.raw(
        `Credential ${created.id} (${created.role}) for cluster "${args.cluster}" at ${created.endpoint}, expires ${created.expiresAt}.\n` +
          `Copy the token now, it is not shown again:\n${created.token}\n`,
      )
    }
    return Exit.Ok
  },
})
