import { defineCommand } from '../framework/command.js'
import { completionTree, fishScript } from '../framework/completion.js'
import { Exit } from '../framework/exit-codes.js'
import { globalOptions } from '../framework/program.js'

export const completionFish = defineCommand({
  path: ['completion', 'fish'],
  summary: 'Print the fish completion script',
  examples: ['kupe completion fish | source', 'kupe completion fish > ~/.config/fish/completions/kupe.fish'],
  async run({ out, catalog }) {
    out.raw(fishScript(completionTree(catalog.commands, catalog.groups, globalOptions, [{ path: ['server'], summary: 'Run the Kupe API server and its controllers' }])))
    return Exit.Ok
  },
})
