import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toRfc3339 } from '../../lib/time.js'
import { daysIn, lastSecondOf, periodContaining, periodNamed } from './period.js'

test('billing periods are calendar months in UTC, shown first to last second (spec §5.8)', () => {
  const dec = periodContaining(new Date('2026-12-31T23:59:59.999Z'))
  assert.equal(dec.name, '2026-12')
  assert.deepEqual([toRfc3339(dec.start), toRfc3339(lastSecondOf(dec)), toRfc3339(dec.end)], ['2026-12-01T00:00:00Z', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z'])
  assert.equal(periodContaining(new Date('2027-01-01T00:00:00Z')).name, '2027-01')
  // A local offset does not move the period: 2026-04-01T01:00+02:00 is still March in UTC.
  assert.equal(periodContaining(new Date('2026-04-01T01:00:00+02:00')).name, '2026-03')
  assert.deepEqual([daysIn(periodNamed('2028-02')), toRfc3339(lastSecondOf(periodNamed('2028-02')))], [29, '2028-02-29T23:59:59Z'])
  assert.deepEqual([daysIn(periodNamed('2026-02')), daysIn(periodNamed('2026-04')), daysIn(periodNamed('2026-03'))], [28, 30, 31])
})
