import { defineCommand } from '../framework/command.js'
import { upsertContext } from '../framework/contexts.js'
import { Exit } from '../framework/exit-codes.js'
import { DEFAULT_API_URL, normaliseApiUrl } from '../framework/settings.js'

export const configSetContext = defineCommand<{ use?: boolean }, 'name'>({
  path: ['config', 'set-context'],
  summary: 'Create or change a context (API URL + tenant + credential)',
  description:
    'Create or change a named context: the API URL (--api-url) and tenant (--tenant) it addresses. ' +
    'Credentials are added with `kupe auth login`. The first context becomes the current one.',
  args: [{ name: 'name', description: 'context name' }],
  options: [{ flags: '--use', description: 'also make it the current context' }],
  examples: ['kupe config set-context acme --api-url https://kupe.example.com --tenant acme --use'],
  async run({ args, opts, session, io, out }) {
    const file = session.configFile()
    const existing = file.contexts.find((c) => c.name === args.name)
    const apiUrl = session.flags.apiUrl ?? existing?.apiUrl ?? io.env.KUPE_API_URL ?? DEFAULT_API_URL
    const tenant = session.flags.tenant ?? existing?.tenant ?? io.env.KUPE_TENANT
    const next = upsertContext(file, { ...existing, name: args.name, apiUrl: normaliseApiUrl(apiUrl), ...(tenant ? { tenant } : {}) })
    if (opts.use || !next.currentContext) next.currentContext = args.name
    session.saveConfigFile(next)
    out.done(`Context "${args.name}" ${existing ? 'updated' : 'created'}${next.currentContext === args.name ? ' (current)' : ''} in ${session.configPath}.`)
    return Exit.Ok
  },
})
