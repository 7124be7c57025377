import { freezeShared } from '../../lib/shared-value.js'
import { compareBytes } from '../billing/usage.js'
import { encodeContinue, type CreatedCursor, type ListResult, type Page } from './pagination.js'

/**
 * A whole list as the read cache holds it (decision 0008): the response to a request without
 * `limit` or `continue` — kept as one shared object, so its JSON is computed once — and the
 * sort key of each item, from which any page is cut as the database would have returned it.
 */
export interface CachedList<T> {
  all: ListResult<T>
  keys: ReadonlyArray<readonly unknown[]>
}

/** Rows already in list order (spec §1.4) → a cached list of their API objects. */
export function cachedList<R, T>(rows: readonly R[], keyOf: (r: R) => unknown[], toApi: (r: R) => T): CachedList<T> {
  return { all: freezeShared({ items: rows.map(toApi) }), keys: rows.map(keyOf) }
}

/**
 * The page `toPage` would have made from rows fetched after the cursor: items whose key
 * `isAfter` (undefined: from the start), at most `page.limit`, with a token when more remain.
 */
export function pageOf<T>(list: CachedList<T>, page: Page, name: string, isAfter?: (key: readonly unknown[]) => boolean): ListResult<T> {
  if (page.limit === undefined && isAfter === undefined) return list.all
  const total = list.keys.length
  let start = 0
  if (isAfter) {
    start = list.keys.findIndex(isAfter)
    if (start < 0) start = total
  }
  const end = page.limit === undefined ? total : Math.min(start + page.limit, total)
  const items = list.all.items.slice(start, end)
  if (end >= total) return { items }
  return { items, continue: encodeContinue(name, [...list.keys[end - 1]!]) }
}

/** Keys after a name in byte order (lists by name, email or path). */
export const afterName = (after: string) => (key: readonly unknown[]) => compareBytes(key[0] as string, after) > 0

/** Keys `[createdAt ISO, id]` after a (createdAt, id) position (API keys, credentials). */
export const afterCreatedAt = (cursor: CreatedCursor) => {
  const at = cursor.createdAt.getTime()
  return (key: readonly unknown[]) => {
    const t = Date.parse(key[0] as string)
    return t > at || (t === at && compareBytes(key[1] as string, cursor.id) > 0)
  }
}
