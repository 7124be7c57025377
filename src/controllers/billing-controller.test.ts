import assert from 'node:assert/strict'
import { test } from 'node:test'
import { periodNamed } from '../domain/billing/period.js'
import { periodsThrough } from '../domain/invoices/billing-close.js'
import { lastClosablePeriod } from './billing-controller.js'

test('a month becomes closable one hour after it ends (late observability samples)', () => {
  const closable = (iso: string) => lastClosablePeriod(new Date(iso)).name
  assert.equal(closable('2026-04-01T00:00:00Z'), '2026-02')
  assert.equal(closable('2026-04-01T00:59:59Z'), '2026-02')
  assert.equal(closable('2026-04-01T01:00:00Z'), '2026-03')
  assert.equal(closable('2026-04-30T23:59:59Z'), '2026-03')
  assert.equal(closable('2027-01-01T01:00:00Z'), '2026-12', 'across a year')
})

test('months to close run from the creation month through the target, oldest first', () => {
  assert.deepEqual(periodsThrough(new Date('2025-11-30T23:59:59Z'), periodNamed('2026-02')), ['2025-11', '2025-12', '2026-01', '2026-02'])
  assert.deepEqual(periodsThrough(new Date('2026-02-01T00:00:00Z'), periodNamed('2026-02')), ['2026-02'])
  assert.deepEqual(periodsThrough(new Date('2026-03-01T00:00:00Z'), periodNamed('2026-02')), [], 'created after the target month')
})
