import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { appView } from '../views/app.js'

export const adminAppGet = defineCommand<Record<string, never>, 'id'>({
  path: ['admin', 'app', 'get'],
  summary: 'Show an app: rollout, revision, hooks, conditions',
  args: [{ name: 'id', description: 'app id' }],
  examples: ['kupe admin app get $APP_ID', 'kupe admin app get $APP_ID -o json | jq .status.hooks'],
  async run({ args, session, out }) {
    out.object(await body(session.adminApi().GET('/v1/apps/{id}', { params: { path: { id: args.id } } })), appView)
    return Exit.Ok
  },
})
