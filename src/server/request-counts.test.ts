import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HourlyRequestCounts } from './request-counts.js'

const at = (iso: string) => new Date(iso)

test('requests are counted by status class over the current hour and the 23 before it', () => {
  const c = new HourlyRequestCounts()
  c.record(200, at('2026-04-09T11:59:59Z')) // 24 h and a bit before: out of the window
  c.record(201, at('2026-04-09T12:00:00Z'))
  c.record(404, at('2026-04-10T03:15:00Z'))
  c.record(503, at('2026-04-10T11:30:00Z'))
  c.record(304, at('2026-04-10T11:59:00Z'))
  c.record(101, at('2026-04-10T11:00:00Z'))
  assert.deepEqual(c.lastDay(at('2026-04-10T11:59:59Z')), {
    since: at('2026-04-09T12:00:00Z'),
    counts: { '1xx': 1, '2xx': 1, '3xx': 1, '4xx': 1, '5xx': 1 },
  })
  // An hour later the 12:00 request has left the window.
  assert.deepEqual(c.lastDay(at('2026-04-10T12:00:00Z')).counts, { '1xx': 1, '2xx': 0, '3xx': 1, '4xx': 1, '5xx': 1 })
})

test('old buckets are dropped as new hours start, so memory stays bounded', () => {
  const c = new HourlyRequestCounts()
  for (let h = 0; h < 100; h++) c.record(200, new Date(Date.UTC(2026, 0, 1, h)))
  assert.equal(c.lastDay(new Date(Date.UTC(2026, 0, 1, 99))).counts['2xx'], 24)
  assert.ok((c as unknown as { buckets: Map<number, unknown> }).buckets.size <= 24)
})
