import assert from 'node:assert/strict'
import { test } from 'node:test'
import { freezeShared, sharedSlot, toJson } from './shared-value.js'

test('a shared value is frozen all the way down and its JSON is the plain JSON, without what is kept on it', () => {
  const value = freezeShared({ name: 'c1', status: { phase: 'Running' }, tags: ['a'] })
  const slot = sharedSlot<string>('test')
  slot.set(value, 'derived')
  assert.throws(() => ((value.status as { phase: string }).phase = 'Failed'), TypeError)
  assert.throws(() => (value.tags as string[]).push('b'), TypeError)
  assert.equal(toJson(value), '{"name":"c1","status":{"phase":"Running"},"tags":["a"]}')
  assert.deepEqual(Object.keys(value), ['name', 'status', 'tags'])
  // A copy made from it (a response built by spreading a cached row) carries nothing of it.
  const copy = { ...value, name: 'c2' }
  assert.equal(slot.get(copy), undefined)
  assert.equal(toJson(copy), '{"name":"c2","status":{"phase":"Running"},"tags":["a"]}')
  assert.equal(slot.get(value), 'derived')
})

test('what is derived is kept only on shared values: other objects compute it each time', () => {
  const slot = sharedSlot<number>('test')
  const plain = { a: 1 }
  slot.set(plain, 7)
  assert.equal(slot.get(plain), undefined)
  const frozenElsewhere = Object.freeze({ a: 1 })
  assert.equal(freezeShared(frozenElsewhere), frozenElsewhere)
  slot.set(frozenElsewhere, 7)
  assert.equal(slot.get(frozenElsewhere), undefined)
  // Two slots on one value do not see each other's values.
  const shared = freezeShared({ a: 1 })
  const other = sharedSlot<number>('other')
  slot.set(shared, 1)
  other.set(shared, 2)
  assert.deepEqual([slot.get(shared), other.get(shared)], [1, 2])
})
