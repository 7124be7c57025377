import { defineCommand } from '../framework/command.js'
import { findContext } from '../framework/contexts.js'
import { Exit } from '../framework/exit-codes.js'

export const configDeleteContext = defineCommand<Record<string, never>, 'name'>({
  path: ['config', 'delete-context'],
  summary: 'Forget a context and its saved credentials',
  args: [{ name: 'name', description: 'context name' }],
  examples: ['kupe config delete-context old-staging'],
  async run({ args, session, out }) {
    const file = session.configFile()
    findContext(file, args.name)
    const { currentContext, ...rest } = file
    session.saveConfigFile({
      ...rest,
      ...(currentContext && currentContext !== args.name ? { currentContext } : {}),
      contexts: file.contexts.filter((c) => c.name !== args.name),
    })
    out.done(`Context "${args.name}" deleted.`)
    return Exit.Ok
  },
})
