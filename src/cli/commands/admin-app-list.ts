import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { appView } from '../views/app.js'

export const adminAppList = defineCommand<{ project?: string }>({
  path: ['admin', 'app', 'list'],
  summary: "List a project's apps (every app without --project)",
  options: [{ flags: '--project <id>', description: "only this project's apps" }],
  examples: ['kupe admin app list --project $PROJECT_ID'],
  async run({ opts, session, out }) {
    const query = opts.project ? { projectID: opts.project } : {}
    out.list({ items: await body(session.adminApi().GET('/v1/apps', { params: { query } })) }, appView)
    return Exit.Ok
  },
})
