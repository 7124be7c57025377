import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { projectView } from '../views/project.js'

export const adminProjectGet = defineCommand<Record<string, never>, 'id'>({
  path: ['admin', 'project', 'get'],
  summary: 'Show a project: namespace, quota, Ready condition',
  args: [{ name: 'id', description: 'project id' }],
  examples: ['kupe admin project get $PROJECT_ID'],
  async run({ args, session, out }) {
    out.object(await body(session.adminApi().GET('/v1/projects/{id}', { params: { path: { id: args.id } } })), projectView)
    return Exit.Ok
  },
})
