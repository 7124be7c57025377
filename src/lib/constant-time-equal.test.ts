import assert from 'node:assert/strict'
import { test } from 'node:test'
import { constantTimeEqual, equalsKnownSecret } from './constant-time-equal.js'

test('equal secrets match; a different, shorter, longer or empty one does not', () => {
  assert.equal(constantTimeEqual('kupeadm_s3cr3t', 'kupeadm_s3cr3t'), true)
  assert.equal(constantTimeEqual(Buffer.from('ab', 'hex'), Buffer.from('AB', 'hex')), true)
  for (const other of ['kupeadm_s3cr3T', 'kupeadm_s3cr3', 'kupeadm_s3cr3tt', '']) assert.equal(constantTimeEqual('kupeadm_s3cr3t', other), false)
  assert.equal(constantTimeEqual('', ''), true)
})

test('a known secret matches itself only, however often it is asked', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(equalsKnownSecret('kupeadm_s3cr3t', 'kupeadm_s3cr3t'), true)
    for (const other of ['kupeadm_s3cr3T', 'kupeadm_s3cr3', 'kupeadm_s3cr3tt', '']) assert.equal(equalsKnownSecret(other, 'kupeadm_s3cr3t'), false)
  }
  // A second secret has its own digest, not the first one's.
  assert.equal(equalsKnownSecret('kupeadm_other', 'kupeadm_other'), true)
  assert.equal(equalsKnownSecret('kupeadm_s3cr3t', 'kupeadm_other'), false)
})
