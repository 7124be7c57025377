import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<string>()

/**
 * Runs `fn` with its writes scoped to one tenant's rows (decision 0024): the read cache then
 * drops only that tenant's entries (and the cross-tenant lists) for them, not every tenant's.
 * Only for code whose every write in `fn` touches rows of that tenant alone — a cluster's status,
 * a tenant's new cluster, a key's last use; a write outside any scope drops every entry of its
 * tables, which is always correct.
 */
export function withWriteScope<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  return scope.run(tenantId, fn)
}

/** The tenant the current code's writes are scoped to, if any. */
export const currentWriteScope = (): string | undefined => scope.getStore()
