import type { Command } from 'commander'

interface AdminGlobals {
  apiUrl: string
  adminToken: string
}

function globals(env: NodeJS.ProcessEnv): AdminGlobals {
  const adminToken = env.KUPE_ADMIN_TOKEN
  if (!adminToken) {
    process.stderr.write('error: KUPE_ADMIN_TOKEN is not set\n')
    process.exit(3)
  }
  return { apiUrl: (env.KUPE_API_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''), adminToken }
}

async function call(g: AdminGlobals, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${g.apiUrl}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${g.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  const parsed: unknown = text ? JSON.parse(text) : undefined
  if (!res.ok) {
    process.stderr.write(`error: ${(parsed as { error?: string } | undefined)?.error ?? res.statusText}\n`)
    process.exit(res.status === 404 ? 4 : res.status === 401 || res.status === 403 ? 3 : res.status === 409 ? 5 : res.status === 400 ? 2 : 1)
  }
  return parsed
}

/** `kupe admin tenant …`: the platform operator's commands, over HTTP with the admin token. */
export function registerAdminCommand(program: Command): void {
  const admin = program.command('admin').description('Platform operator commands (KUPE_API_URL, KUPE_ADMIN_TOKEN)')
  const tenant = admin.command('tenant').description('Manage tenants')
  tenant
    .command('create <name>')
    .description('Create a tenant and print its first admin API key')
    .requiredOption('--owner <email>', 'the first admin member')
    .option('--plan <plan>', 'plan name', 'starter')
    .option('--display-name <text>', 'display name')
    .option('--contact-email <email>', 'contact email (default: the owner)')
    .addHelpText('after', '\nExample:\n  kupe admin tenant create acme --owner alice@acme.com --plan pro\n')
    .action(async (name: string, opts: { owner: string; plan: string; displayName?: string; contactEmail?: string }) => {
      const created = (await call(globals(process.env), 'POST', '/tenants', {
        name, owner: opts.owner, plan: opts.plan, contactEmail: opts.contactEmail ?? opts.owner,
        ...(opts.displayName ? { displayName: opts.displayName } : {}),
      })) as { name: string; plan: string; apiKey: { id: string; key: string } }
      process.stdout.write(
        `Tenant "${created.name}" created on plan ${created.plan}.\n` +
          `Admin API key ${created.apiKey.id} (shown only once):\n${created.apiKey.key}\n`,
      )
    })
  tenant
    .command('list')
    .description('List tenants')
    .action(async () => {
      const r = (await call(globals(process.env), 'GET', '/tenants')) as { items: Array<{ name: string; plan: string; status: { phase: string } }> }
      for (const t of r.items) process.stdout.write(`${t.name}\t${t.plan}\t${t.status.phase}\n`)
    })
  for (const [verb, method, suffix] of [['get', 'GET', ''], ['suspend', 'POST', '/suspend'], ['resume', 'POST', '/resume']] as const) {
    tenant
      .command(`${verb} <name>`)
      .description(`${verb[0]!.toUpperCase()}${verb.slice(1)} a tenant`)
      .action(async (name: string) => {
        process.stdout.write(`${JSON.stringify(await call(globals(process.env), method, `/tenants/${encodeURIComponent(name)}${suffix}`), null, 2)}\n`)
      })
  }
  tenant
    .command('delete <name>')
    .description('Delete a tenant and everything it owns')
    .action(async (name: string) => {
      await call(globals(process.env), 'DELETE', `/tenants/${encodeURIComponent(name)}`)
      process.stdout.write(`Tenant "${name}" deleted.\n`)
    })
}
