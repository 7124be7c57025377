import { defineCommand } from '../framework/command.js'
import { completionTree, bashScript } from '../framework/completion.js'
import { Exit } from '../framework/exit-codes.js'
import { globalOptions } from '../framework/program.js'

export const completionBash = defineCommand({
  path: ['completion', 'bash'],
  summary: 'Print the bash completion script',
  examples: ['source <(kupe completion bash)', "echo 'source <(kupe completion bash)' >> ~/.bashrc"],
  async run({ out, catalog }) {
    out.raw(bashScript(completionTree(catalog.commands, catalog.groups, globalOptions, [{ path: ['server'], summary: 'Run the Kupe API server and its controllers' }])))
    return Exit.Ok
  },
})
