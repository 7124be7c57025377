import { ok } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { cliVersion } from '../framework/version.js'

interface ServerVersion {
  version?: string
  apiVersion?: string
  database?: string
  provider?: string
}

export const version = defineCommand<{ client?: boolean }>({
  path: ['version'],
  summary: 'Print the CLI version and the server version',
  options: [{ flags: '--client', description: 'only the CLI version; do not contact the server' }],
  examples: ['kupe version', 'kupe version --client -o json'],
  async run({ opts, session, out }) {
    const client = { version: cliVersion() }
    let server: ServerVersion | undefined
    if (!opts.client) {
      const { data } = await ok(session.publicApi().GET('/version', { parseAs: 'json' }))
      server = (data ?? {}) as ServerVersion
    }
    if (out.structured({ client, ...(server ? { server } : {}) })) return Exit.Ok
    if (out.quiet) {
      out.raw(`${cliVersion()}\n`)
      return Exit.Ok
    }
    out.raw(`Client: kupe ${cliVersion()}\n`)
    if (server) {
      const extra = [server.apiVersion && `API ${server.apiVersion}`, server.database && `database ${server.database}`, server.provider && `provider ${server.provider}`]
      out.raw(`Server: kupe ${server.version ?? 'unknown'} (${extra.filter(Boolean).join(', ')}) at ${session.settings().apiUrl}\n`)
    }
    return Exit.Ok
  },
})
