import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { Exit } from '../framework/exit-codes.js'
import { projectView } from '../views/project.js'

export const adminProjectList = defineCommand<{ tenantId?: string }>({
  path: ['admin', 'project', 'list'],
  summary: "List a tenant's projects (every project without --tenant-id)",
  options: [{ flags: '--tenant-id <id>', description: 'only this tenant\'s projects' }],
  examples: ['kupe admin project list --tenant-id $TENANT_ID'],
  async run({ opts, session, out }) {
    const query = opts.tenantId ? { tenantID: opts.tenantId } : {}
    out.list({ items: await body(session.adminApi().GET('/v1/projects', { params: { query } })) }, projectView)
    return Exit.Ok
  },
})
