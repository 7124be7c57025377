import { body } from '../api/call.js'
import { defineCommand } from '../framework/command.js'
import { pageOptions, pageQuery, type PageOpts } from '../framework/common-options.js'
import { Exit } from '../framework/exit-codes.js'
import { clusterView } from '../views/cluster.js'

export const clusterList = defineCommand<PageOpts>({
  path: ['cluster', 'list'],
  summary: 'List clusters',
  options: pageOptions,
  examples: ['kupe cluster list', 'kupe cluster list -o json', 'kupe cluster list -q'],
  async run({ opts, session, out }) {
    const tenant = session.tenant()
    out.list(await body(session.api().GET('/api/v1/tenants/{tenant}/clusters', { params: { path: { tenant }, query: pageQuery(opts) } })), clusterView)
    return Exit.Ok
  },
})
