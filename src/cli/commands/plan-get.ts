import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { planView } from '../views/plan.js'

export const planGet = defineCommand<Record<string, never>, 'name'>({
  path: ['plan', 'get'],
  summary: 'Show one plan: limits, pool and rates',
  args: [{ name: 'name', description: 'plan name' }],
  examples: ['kupe plan get pro'],
  async run({ args, session, out }) {
    out.object(await body(session.publicApi().GET('/api/v1/plans/{name}', { params: { path: { name: args.name } } })), planView)
    return Exit.Ok
  },
})
