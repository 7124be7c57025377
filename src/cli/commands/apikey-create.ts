import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { parseDuration } from '../framework/duration.js'
import { usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'

interface Opts {
  name: string
  role: 'admin' | 'readonly'
  expiresAt?: string
  expiresIn?: string
}

export const apikeyCreate = defineCommand<Opts>({
  path: ['apikey', 'create'],
  summary: 'Create an API key and print it once',
  description:
    'Create an API key. The raw key is printed once and cannot be shown again; with -q only the key is printed, ' +
    'so it can be captured by a script.',
  options: [
    { flags: '--name <display-name>', description: 'what the key is for', required: true },
    { flags: '--role <role>', description: 'admin or readonly', default: 'readonly', choices: ['admin', 'readonly'] },
    { flags: '--expires-in <duration>', description: 'lifetime, e.g. 90d or 12h (at most 730d)' },
    { flags: '--expires-at <time>', description: 'expiry as RFC 3339, e.g. 2027-01-01T00:00:00Z' },
  ],
  examples: ['kupe apikey create --name ci-deploy --role admin --expires-in 90d', 'KEY=$(kupe apikey create --name dashboards -q)'],
  async run({ opts, session, out, io }) {
    if (opts.expiresAt && opts.expiresIn) throw usageError('pass --expires-at or --expires-in, not both')
    const expiresAt = opts.expiresIn
      ? new Date(Math.floor((io.now() + parseDuration(opts.expiresIn, '--expires-in')) / 1000) * 1000).toISOString().replace('.000Z', 'Z')
      : opts.expiresAt
    const tenant = session.tenant()
    const created = await body(
      session.api().POST('/api/v1/tenants/{tenant}/apikeys', {
        params: { path: { tenant } },
        body: { displayName: opts.name, role: opts.role, ...(expiresAt ? { expiresAt } : {}) },
      }),
    )
    if (out.structured(created)) return Exit.Ok
    if (out.quiet) out.raw(`${created.key}\n`)
    else {
      out.raw(
        `API key ${created.id} "${created.displayName}" (${created.role}) created${created.expiresAt ? `, expires ${created.expiresAt}` : ''}.\n` +
          `Copy it now, it is not shown again:\n${created.key}\n`,
      )
    }
    return Exit.Ok
  },
})
