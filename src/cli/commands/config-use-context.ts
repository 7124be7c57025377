import { defineCommand } from '../framework/command.js'
import { findContext } from '../framework/contexts.js'
import { Exit } from '../framework/exit-codes.js'

export const configUseContext = defineCommand<Record<string, never>, 'name'>({
  path: ['config', 'use-context'],
  summary: 'Switch the current context',
  args: [{ name: 'name', description: 'context name' }],
  examples: ['kupe config use-context staging'],
  async run({ args, session, out }) {
    const file = session.configFile()
    findContext(file, args.name)
    session.saveConfigFile({ ...file, currentContext: args.name })
    out.done(`Switched to context "${args.name}".`)
    return Exit.Ok
  },
})
