import { defineCommand } from '../framework/command.js'
import { completionTree, fishScript } from '../framework/completion.js'
import { Exit } from '../framework/exit-codes.js'
import { globalOptions } from '../framework/program.js'

export const completionFish = defineCommand({
  path: ['completion', 'fish'],
  summary: 'Print the fish completion script',
  examples: ['kupe completion fish | source', 'kupe completion fish > ~/.config/fish/completions/kupe.fish'],
  async run({ out }) {
    // Imported here, not at the top: the command list includes this command.
    const { commands, commandGroups } = await import('./index.js')
    out.raw(fishScript(completionTree(commands, commandGroups, globalOptions, [{ path: ['server'], summary: 'Run the Kupe API server and its controllers' }])))
    return Exit.Ok
  },
})
