import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base62Checksum, buildToken, parseToken } from './token-format.js'

test('raw keys are 63 characters and carry a verifiable checksum', () => {
  const key = buildToken('kupe', 'a1b2c3d4')
  assert.equal(key.length, 63)
  assert.match(key, /^kupe_[0-9a-f]{8}_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/)
  assert.equal(parseToken('kupe', key), 'a1b2c3d4')
})

test('a key with one character changed fails its checksum', () => {
  const key = buildToken('kupe', 'a1b2c3d4')
  const i = 20
  const flipped = key.slice(0, i) + (key[i] === 'A' ? 'B' : 'A') + key.slice(i + 1)
  assert.equal(parseToken('kupe', flipped), undefined)
})

test('credentials use the kupec prefix and are not API keys', () => {
  const cred = buildToken('kupec', '5e0a9b12')
  assert.equal(cred.length, 64)
  assert.equal(parseToken('kupec', cred), '5e0a9b12')
  assert.equal(parseToken('kupe', cred), undefined)
})

test('checksum is base62 of zlib CRC-32, left-padded', () => {
  // crc32("kupe") = 2378099076, checked with Python's zlib; in base62 that is 2awGCi
  assert.equal(base62Checksum('kupe'), '2awGCi')
  assert.match(base62Checksum(''), /^0{6}$/)
})
