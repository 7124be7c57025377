import { defineCommand } from '../framework/command.js'
import { completionTree, zshScript } from '../framework/completion.js'
import { Exit } from '../framework/exit-codes.js'
import { globalOptions } from '../framework/program.js'

export const completionZsh = defineCommand({
  path: ['completion', 'zsh'],
  summary: 'Print the zsh completion script',
  examples: ['source <(kupe completion zsh)', 'kupe completion zsh > "${fpath[1]}/_kupe"'],
  async run({ out, catalog }) {
    out.raw(zshScript(completionTree(catalog.commands, catalog.groups, globalOptions, [{ path: ['server'], summary: 'Run the Kupe API server and its controllers' }])))
    return Exit.Ok
  },
})
