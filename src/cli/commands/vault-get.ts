import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { notFound, usageError } from '../framework/errors.js'
import { Exit } from '../framework/exit-codes.js'
import { renderDetails } from '../framework/output.js'

interface Opts {
  reveal?: boolean
  key?: string
  version?: string
}

const HIDDEN = '(hidden)'

export const vaultGet = defineCommand<Opts, 'path'>({
  path: ['vault', 'get'],
  summary: 'Show a vault entry; values stay hidden unless --reveal',
  description:
    'Show a vault entry: its version and keys. Values are printed only with --reveal (in every output format); ' +
    '--key with --reveal prints one raw value, for scripts.',
  args: [{ name: 'path', description: 'vault path' }],
  options: [
    { flags: '--reveal', description: 'print the values' },
    { flags: '--key <key>', description: 'only this key (its raw value with --reveal)' },
    { flags: '--version <n>', description: 'an older version (the 10 latest are kept)' },
  ],
  examples: ['kupe vault get production/db', 'kupe vault get production/db --key password --reveal', 'kupe vault get production/db --version 2 --reveal -o json'],
  async run({ args, opts, session, out }) {
    if (opts.version !== undefined && !/^\d+$/.test(opts.version)) throw usageError(`invalid --version "${opts.version}"`)
    const tenant = session.tenant()
    const entry = await body(
      session.api().GET('/api/v1/tenants/{tenant}/vault/{path}', {
        params: { path: { tenant, path: args.path }, query: opts.version !== undefined ? { version: Number(opts.version) } : {} },
      }),
    )
    let data = entry.data
    if (opts.key !== undefined) {
      const value = data[opts.key]
      if (value === undefined) throw notFound(`vault entry ${entry.path} has no key "${opts.key}"`)
      if (opts.reveal && out.format === 'table') {
        out.raw(value)
        return Exit.Ok
      }
      data = { [opts.key]: value }
    }
    const shown = opts.reveal ? data : Object.fromEntries(Object.keys(data).map((k) => [k, HIDDEN]))
    if (!opts.reveal) out.note('Values are hidden; add --reveal to print them.')
    if (out.structured({ ...entry, data: shown })) return Exit.Ok
    if (out.quiet) {
      out.raw(Object.keys(shown).map((k) => `${k}\n`).join(''))
      return Exit.Ok
    }
    out.raw(
      renderDetails([
        ['Path', entry.path],
        ['Version', entry.version],
        ['Created', entry.createdAt],
        ...Object.entries(shown).map(([k, v]): [string, string] => [k, opts.reveal ? v : `${HIDDEN}, ${Buffer.byteLength(data[k] ?? '')} bytes`]),
      ]),
    )
    return Exit.Ok
  },
})
