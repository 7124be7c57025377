import { defineCommand } from '../framework/command.js'
import { completionTree, zshScript } from '../framework/completion.js'
import { Exit } from '../framework/exit-codes.js'
import { globalOptions } from '../framework/program.js'

export const completionZsh = defineCommand({
  path: ['completion', 'zsh'],
  summary: 'Print the zsh completion script',
  examples: ['source <(kupe completion zsh)', 'kupe completion zsh > "${fpath[1]}/_kupe"'],
  async run({ out }) {
    // Imported here, not at the top: the command list includes this command.
    const { commands, commandGroups } = await import('./index.js')
    out.raw(zshScript(completionTree(commands, commandGroups, globalOptions, [{ path: ['server'], summary: 'Run the Kupe API server and its controllers' }])))
    return Exit.Ok
  },
})
