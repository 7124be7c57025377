import { defineCommand } from '../framework/command.js'
import { redactContext } from '../framework/contexts.js'
import { Exit } from '../framework/exit-codes.js'

type Row = ReturnType<typeof redactContext>

export const configGetContexts = defineCommand({
  path: ['config', 'get-contexts'],
  summary: 'List contexts; * marks the current one',
  examples: ['kupe config get-contexts', 'kupe config get-contexts -o yaml'],
  async run({ session, out }) {
    const file = session.configFile()
    out.list<Row>(
      { items: file.contexts.map((c) => redactContext(c, file.currentContext)) },
      {
        id: (c) => c.name,
        columns: [
          ['CURRENT', (c) => (c.current ? '*' : ' ')],
          ['NAME', (c) => c.name],
          ['API URL', (c) => c.apiUrl],
          ['TENANT', (c) => c.tenant],
          ['CREDENTIAL', (c) => c.token ?? (c.signedInAs ? `sso:${c.signedInAs}` : undefined)],
          ['ADMIN', (c) => c.adminToken],
        ],
      },
    )
    return Exit.Ok
  },
})
