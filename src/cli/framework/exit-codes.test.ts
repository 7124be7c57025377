import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ApiError, notFound, usageError, waitTimeout } from './errors.js'
import { exitCodeFor, exitCodeForStatus } from './exit-codes.js'

test('HTTP statuses map to the documented exit codes', () => {
  const table: Array<[number, number]> = [
    [400, 2], [413, 2], [415, 2], [422, 2], [401, 3], [403, 3], [404, 4], [409, 5], [412, 5],
    [429, 6], [502, 7], [503, 7], [504, 7], [500, 1], [405, 1],
  ]
  for (const [status, code] of table) assert.equal(exitCodeForStatus(status), code, `status ${status}`)
})

test('CLI failures map by kind; unknown errors are 1', () => {
  assert.equal(exitCodeFor(new ApiError(412, 'ETag mismatch')), 5)
  assert.equal(exitCodeFor(usageError('bad flag')), 2)
  assert.equal(exitCodeFor(notFound('no such context')), 4)
  assert.equal(exitCodeFor(waitTimeout('timed out')), 8)
  assert.equal(exitCodeFor(new TypeError('boom')), 1)
})
