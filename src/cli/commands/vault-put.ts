import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { readVaultData, type VaultInputOpts } from '../framework/vault-input.js'

export const vaultPut = defineCommand<VaultInputOpts, 'path'>({
  path: ['vault', 'put'],
  summary: 'Write a new version of a vault entry (values from files, env or stdin)',
  description:
    'Write the complete data of a vault entry as a new version; secrets syncing that path update within seconds. ' +
    'Values never go on the command line: use --from-file KEY=PATH, --from-env KEY=VAR, or stdin with KEY=VALUE ' +
    'lines or a JSON object of strings.',
  args: [{ name: 'path', description: 'vault path, e.g. production/db' }],
  options: [
    { flags: '--from-file <key=path>', description: 'a key whose value is the content of a file (repeatable; KEY defaults to the file name)', repeatable: true },
    { flags: '--from-env <key=var>', description: 'a key whose value is an environment variable (repeatable; KEY defaults to the variable name)', repeatable: true },
  ],
  examples: [
    "printf 'username=app\\npassword=%s\\n' \"$DB_PASSWORD\" | kupe vault put production/db",
    'kupe vault put production/tls --from-file tls.crt=./cert.pem --from-file tls.key=./key.pem',
    'kupe vault put ci/token --from-env token=CI_TOKEN',
  ],
  async run({ args, opts, session, out, io }) {
    const data = await readVaultData(opts, io)
    const tenant = session.tenant()
    const written = await body(session.api().PUT('/api/v1/tenants/{tenant}/vault/{path}', { params: { path: { tenant, path: args.path } }, body: { data } }))
    if (out.structured(written)) return Exit.Ok
    if (out.quiet) out.raw(`${written.path}\n`)
    else out.done(`Wrote ${Object.keys(data).length} key(s) to ${written.path}, version ${written.version}.`)
    return Exit.Ok
  },
})
