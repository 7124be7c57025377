/**
 * Values shared between requests (the read cache's, decision 0008) are deep-frozen once and then
 * never change, so what is derived from one — its JSON text, a response built from it, the token
 * it matched — can be kept beside it for as long as it lives, instead of once per request.
 *
 * That place is a small mutable record on the value itself, under a symbol only this module holds
 * and not enumerable (JSON.stringify, Object.entries, spread and the cache's size estimate skip
 * it). Not a WeakMap: each WeakMap entry is an ephemeron that V8 settles in the final pause of
 * every full collection, and with the 50,000 values of a full cache that pause took about 30 ms
 * instead of 3–11 ms (decision 0039, "Third profile").
 */
const MEMO = Symbol('shared value memo')

type Memo = Record<symbol, unknown>

function memoOf(value: object): Memo | undefined {
  return (value as { [MEMO]?: Memo })[MEMO]
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/**
 * Freezes `value` deeply and marks it as shared: a caller that tried to change it would throw,
 * and `sharedSlot`s keep what is derived from it. A value frozen earlier without this mark stays
 * unmarked (derived values are then computed each time, as for any other object).
 */
export function freezeShared<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.defineProperty(value, MEMO, { value: {} })
  }
  return deepFreeze(value)
}

/** One thing derived from shared values, kept on each of them (nothing on other objects). */
export interface SharedSlot<V> {
  get(value: object): V | undefined
  /** Kept while `value` lives when it is shared; dropped (a no-op) for any other object. */
  set(value: object, derived: V): void
}

export function sharedSlot<V>(name: string): SharedSlot<V> {
  const key = Symbol(name)
  return {
    get: (value) => memoOf(value)?.[key] as V | undefined,
    set: (value, derived) => {
      const memo = memoOf(value)
      if (memo) memo[key] = derived
    },
  }
}

const jsonText = sharedSlot<string>('json text')

/** JSON text of `value`, computed once for a shared value. */
export function toJson(value: unknown): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value)
  let text = jsonText.get(value)
  if (text === undefined) {
    text = JSON.stringify(value)
    jsonText.set(value, text)
  }
  return text
}
