/**
 * Values shared between requests (the read cache's rows, decision 0008) are deep-frozen once and
 * then never change, so their JSON can be computed once per value instead of once per response.
 */
const shared = new WeakSet<object>()
const json = new WeakMap<object, string>()

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** Freezes `value` deeply and marks it as shared: a caller that tried to change it would throw. */
export function freezeShared<T>(value: T): T {
  deepFreeze(value)
  if (value && typeof value === 'object') shared.add(value)
  return value
}

/** JSON text of `value`, memoized for shared values. */
export function toJson(value: unknown): string {
  if (!value || typeof value !== 'object' || !shared.has(value)) return JSON.stringify(value)
  let text = json.get(value)
  if (text === undefined) {
    text = JSON.stringify(value)
    json.set(value, text)
  }
  return text
}
