import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { credentialView } from '../views/credential.js'

export const clusterCredentialsList = defineCommand<PageOpts, 'cluster'>({
  path: ['cluster', 'credentials', 'list'],
  summary: 'List the live credentials of a cluster (never their tokens)',
  args: [{ name: 'cluster', description: 'cluster name' }],
  options: pageOptions,
  examples: ['kupe cluster credentials list web'],
  async run({ args, opts, session, out }) {
    const tenant = session.tenant()
    const page = await body(
      session.api().GET('/api/v1/tenants/{tenant}/clusters/{name}/credentials', { params: { path: { tenant, name: args.cluster }, query: pageQuery(opts) } }),
    )
    out.list(page, credentialView)
    return Exit.Ok
  },
})
