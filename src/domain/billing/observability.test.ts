import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { billableHours, measureObservability, p95ActiveSeries, type HourlySample } from './observability.js'
import { periodNamed } from './period.js'

const march = periodNamed('2026-03') // 31 days: 744 hours
const hourOf = (i: number) => new Date(march.start.getTime() + i * 3_600_000)
const sample = (i: number, activeSeries: number | null, logBytes: bigint | null = null): HourlySample => ({ hour: hourOf(i), activeSeries, logBytes })

describe('P95 of active series (nearest rank over every hour of the period)', () => {
  test('hand-checked ranks: ceil(0.95 × N)', () => {
    // N = 20: rank 19 → the 19th smallest of 1..20.
    assert.equal(p95ActiveSeries(Array.from({ length: 20 }, (_, i) => i + 1), 20), 19)
    // N = 744 (March): rank ceil(706.8) = 707; 704 silent hours, 38 hours at 60,000 and two spikes.
    assert.equal(p95ActiveSeries([...Array(38).fill(60_000), 500_000, 900_000], 744), 60_000)
    // Only 37 busy hours (< 5% of 744): every one of them is in the discarded top 5%.
    assert.equal(p95ActiveSeries(Array(37).fill(60_000), 744), 0)
    assert.equal(p95ActiveSeries([5], 1), 5)
    assert.equal(p95ActiveSeries([], 0), 0)
  })

  test('the order samples arrive in does not matter', () => {
    const values = [7, 3, 9, 1, 5, 8, 2, 6, 4, 10]
    assert.equal(p95ActiveSeries(values, 10), 10)
    assert.equal(p95ActiveSeries([...values].reverse(), 20), 9) // 10 silent hours: rank 19 → 9
  })

  test('hours counted: a started hour counts, the period caps it', () => {
    assert.equal(billableHours(march, march.start), 0)
    assert.equal(billableHours(march, new Date(march.start.getTime() + 1000)), 1)
    assert.equal(billableHours(march, hourOf(10)), 10)
    assert.equal(billableHours(march, new Date('2026-05-01T00:00:00Z')), 744)
  })
})

describe('measureObservability', () => {
  test('a closed month: P95 over 744 hours, logs summed, latest series reported', () => {
    const samples = [
      ...Array.from({ length: 40 }, (_, i) => sample(i, i < 38 ? 60_000 : 500_000, 1_000_000_000n)),
      sample(700, null, 22_500_000_000n), // a logs-only hour counts as zero series
    ]
    const m = measureObservability(samples, march, march.end)
    assert.deepEqual(m, { activeSeriesP95: 60_000, logIngestBytes: 62_500_000_000n, currentActiveSeries: 500_000 })
  })

  test('the open month: only hours up to now, samples outside the period ignored', () => {
    const before = { hour: new Date('2026-02-28T23:00:00Z'), activeSeries: 1_000_000, logBytes: 5n }
    const samples = [before, sample(0, 100, 10n), sample(1, 300, 20n), sample(2, 200, 30n), sample(5, 999, 40n)]
    // At 02:30 three hours have started (00, 01, 02): rank ceil(2.85) = 3 → 300; hour 05 is not yet.
    const m = measureObservability(samples, march, new Date('2026-03-01T02:30:00Z'))
    assert.deepEqual(m, { activeSeriesP95: 300, logIngestBytes: 60n, currentActiveSeries: 200 })
  })
})
