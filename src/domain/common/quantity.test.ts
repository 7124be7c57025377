import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseQuantity } from './quantity.js'

const value = (q: string) => parseQuantity(q)?.toFixed()

test('decimal and binary suffixes scale the number, E and Ei included', () => {
  assert.equal(value('500m'), '0.5')
  assert.equal(value('2k'), '2000')
  assert.equal(value('1Gi'), String(2 ** 30))
  assert.equal(value('1E'), '1000000000000000000')
  assert.equal(value('1Ei'), (2n ** 60n).toString())
  assert.equal(value('0.5Ei'), (2n ** 59n).toString())
})

test('an e or E followed by digits is an exponent', () => {
  assert.equal(value('1e3'), '1000')
  assert.equal(value('15E-1'), '1.5')
  assert.equal(value('2E+2'), '200')
})

test('anything else does not parse', () => {
  for (const q of ['', '1Z', 'E', '1e', '1EE', '+1', '1 Gi', 'Gi']) assert.equal(parseQuantity(q), undefined, q)
})
