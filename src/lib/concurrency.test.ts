import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mapConcurrently } from './concurrency.js'

test('keeps the order of the input and never runs more than the limit at once', async () => {
  let running = 0
  let peak = 0
  const delays = [30, 5, 20, 1, 10, 0, 15]
  const out = await mapConcurrently(delays, 3, async (ms, i) => {
    running++
    peak = Math.max(peak, running)
    await new Promise((r) => setTimeout(r, ms))
    running--
    return `${i}:${ms}`
  })
  assert.deepEqual(out, delays.map((ms, i) => `${i}:${ms}`))
  assert.equal(peak, 3)
})

test('an empty list gives an empty list; a failure rejects', async () => {
  assert.deepEqual(await mapConcurrently([], 4, async () => 1), [])
  await assert.rejects(mapConcurrently([1, 2], 2, async (n) => {
    if (n === 2) throw new Error('boom')
    return n
  }), /boom/)
})
