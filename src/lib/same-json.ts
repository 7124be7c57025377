import { isDeepStrictEqual } from 'node:util'

/**
 * Whether two values are the same JSON document: key order and `undefined` members do not
 * matter (jsonb columns come back with their keys reordered).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)) as unknown)
  return isDeepStrictEqual(norm(a), norm(b))
}
