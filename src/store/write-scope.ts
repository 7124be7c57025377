import type { CompiledQuery, Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely'

/** The tenant each statement of a scoped handle was issued for, by Kysely's per-statement id. */
const scopes = new WeakMap<QueryId, string>()

class WriteScope implements KyselyPlugin {
  constructor(private readonly tenantId: string) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    scopes.set(args.queryId, this.tenantId)
    return args.node
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result)
  }
}

/**
 * A handle whose writes are scoped to one tenant's rows (decision 0024): the read cache then
 * drops only that tenant's entries (and the cross-tenant lists) for them, not every tenant's.
 * Only for code whose every write through it touches rows of that tenant alone — a cluster's
 * status, a tenant's new cluster, a key's last use; a write through any other handle drops every
 * entry of its tables, which is always correct. Transactions opened on it are scoped too.
 *
 * A plugin rather than AsyncLocalStorage: on Node 20 the latter turns on promise hooks for the
 * whole process, a cost every request paid (about 5 % of a cached read).
 */
export function scopedToTenant<DB>(db: Kysely<DB>, tenantId: string): Kysely<DB> {
  return db.withPlugin(new WriteScope(tenantId))
}

/** The tenant a statement's writes are scoped to, if it came through a scoped handle. */
export const writeScopeOf = (query: CompiledQuery): string | undefined => scopes.get(query.queryId)
