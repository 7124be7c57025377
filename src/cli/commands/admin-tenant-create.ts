import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'

interface Opts {
  owner: string
  plan: string
  displayName?: string
  contactEmail?: string
}

export const adminTenantCreate = defineCommand<Opts, 'name'>({
  path: ['admin', 'tenant', 'create'],
  summary: 'Create a tenant and print its first admin API key',
  description:
    'Create a tenant whose owner becomes its first admin, and print that admin API key once. ' +
    'With -q only the key is printed.',
  args: [{ name: 'name', description: 'tenant name (DNS label, 2-63 characters)' }],
  options: [
    { flags: '--owner <email>', description: 'the first admin member', required: true },
    { flags: '--plan <plan>', description: 'plan name', default: 'starter' },
    { flags: '--display-name <text>', description: 'display name (default: the name)' },
    { flags: '--contact-email <email>', description: 'billing contact (default: the owner)' },
  ],
  examples: ['kupe admin tenant create acme --owner alice@acme.com --plan pro', 'KEY=$(kupe admin tenant create acme --owner alice@acme.com -q)'],
  async run({ args, opts, session, out }) {
    const created = await body(
      session.adminApi().POST('/api/v1/admin/tenants', {
        body: {
          name: args.name,
          owner: opts.owner,
          plan: opts.plan,
          contactEmail: opts.contactEmail ?? opts.owner,
          ...(opts.displayName ? { displayName: opts.displayName } : {}),
        },
      }),
    )
    if (out.structured(created)) return Exit.Ok
    if (out.quiet) out.raw(`${created.apiKey.key}\n`)
    else {
      out.raw(
        `Tenant "${created.name}" created on plan ${created.plan}; ${opts.owner} is its admin.\n` +
          `Admin API key ${created.apiKey.id} (copy it now, it is not shown again):\n${created.apiKey.key}\n`,
      )
    }
    return Exit.Ok
  },
})
