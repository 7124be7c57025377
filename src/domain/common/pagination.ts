import { errors } from '../errors.js'

/**
 * Opaque continue tokens (spec §1.4): base64url JSON of the list they belong to and the sort key
 * of the last item returned. A token from another list is rejected.
 */
export interface Page {
  limit?: number
  continue?: string
}

export interface ListResult<T> {
  items: T[]
  continue?: string
}

export function decodeContinue(page: Page, list: string): unknown[] | undefined {
  if (page.continue === undefined) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(page.continue, 'base64url').toString('utf8')) as { l?: unknown; k?: unknown }
    if (parsed.l !== list || !Array.isArray(parsed.k)) throw new Error('foreign token')
    return parsed.k
  } catch {
    throw errors.invalidContinue()
  }
}

export function encodeContinue(list: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url')
}

/** Rows fetched with limit + 1: cut to the page and add a token when more remain. */
export function toPage<R, T>(rows: R[], page: Page, list: string, keyOf: (r: R) => unknown[], toApi: (r: R) => T): ListResult<T> {
  const limit = page.limit
  if (limit === undefined || rows.length <= limit) return { items: rows.map(toApi) }
  const kept = rows.slice(0, limit)
  return { items: kept.map(toApi), continue: encodeContinue(list, keyOf(kept[kept.length - 1]!)) }
}

export function fetchSize(page: Page): number | undefined {
  return page.limit === undefined ? undefined : page.limit + 1
}

export function parsePage(query: { limit?: unknown; continue?: unknown }): Page {
  return {
    limit: query.limit === undefined ? undefined : Number(query.limit),
    continue: typeof query.continue === 'string' ? query.continue : query.continue === undefined ? undefined : '',
  }
}

export function stringKey(key: unknown[] | undefined): string | undefined {
  if (key === undefined) return undefined
  if (typeof key[0] !== 'string') throw errors.invalidContinue()
  return key[0]
}

/** Position in a list ordered by createdAt, then id (API keys, credentials). */
export interface CreatedCursor {
  createdAt: Date
  id: string
}

export function createdCursor(key: unknown[] | undefined): CreatedCursor | undefined {
  if (key === undefined) return undefined
  const [at, id] = key
  const createdAt = typeof at === 'string' ? new Date(at) : undefined
  if (!createdAt || Number.isNaN(createdAt.getTime()) || typeof id !== 'string') throw errors.invalidContinue()
  return { createdAt, id }
}

export const createdKeyOf = (row: { created_at: Date; id: string }): unknown[] => [row.created_at.toISOString(), row.id]
