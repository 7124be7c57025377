import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { periodNamed } from './period.js'
import { clusterLines, priceInvoice, type InvoiceInput, type PlanTerms } from './pricing.js'
import type { AllocationInterval } from './schema.js'
import { BillingDecimal as D, measureClusters } from './usage.js'

const rates = { cpuHour: '0.030', memoryGiBHour: '0.006', storageGiBHour: '0.000116', haHour: '0.05', metricsSeriesMonth: '0.003', logGB: '0.30' }
const terms = (name: string, displayName: string, platformFee: string, maxActiveSeries: number, logIngestGB: number): PlanTerms =>
  ({ name, displayName, platformFee, currency: 'GBP', rates, maxActiveSeries, logIngestGB })
const plans = new Map([
  ['starter', terms('starter', 'Starter', '0.00', 10_000, 10)],
  ['pro', terms('pro', 'Pro', '49.00', 50_000, 50)],
  ['business', terms('business', 'Business', '199.00', 200_000, 200)],
])

const GiB = 1n << 30n
const at = (s: string) => new Date(s)
const HOUR = 3_600_000

function cluster(name: string, cpu: number, memGiB: number, storageGiB: number, startAt: string, endAt: string | null, ha = false): AllocationInterval {
  return {
    clusterId: `id-${name}`, clusterName: name, cpuMillis: BigInt(cpu * 1000), memoryBytes: BigInt(memGiB) * GiB,
    storageBytes: BigInt(storageGiB) * GiB, highAvailability: ha, startAt: at(startAt), endAt: endAt ? at(endAt) : null,
  }
}

function input(over: Partial<InvoiceInput>): InvoiceInput {
  const period = over.period ?? periodNamed('2026-03')
  return {
    period, asOf: period.end, planChanges: [{ plan: 'pro', effectiveAt: at('2026-01-15T09:30:00Z') }], plans, intervals: [],
    credits: '0', taxRate: '0', enforceMetricsLimit: true, enforceLogLimit: true,
    observability: { activeSeriesP95: 0, logIngestBytes: 0n }, defaultCurrency: 'GBP', ...over,
  }
}

describe('pricing engine (spec §5.8)', () => {
  test('seed figure: 4 vCPU + 16 GiB + 100 GiB for 730 hours costs 166.15 at the default rates', () => {
    const start = at('2026-03-01T00:00:00Z')
    const end = new Date(start.getTime() + 730 * HOUR).toISOString()
    const r = priceInvoice(input({
      planChanges: [{ plan: 'starter', effectiveAt: at('2026-02-01T00:00:00Z') }],
      intervals: [cluster('web', 4, 16, 100, '2026-03-01T00:00:00Z', end)],
    }))
    assert.deepEqual(r.lineItems.map((l) => [l.kind, l.quantity, l.cost]), [
      ['platformFee', '1.0000', '0.00'],
      ['cpu', '2920.00', '87.60'],
      ['memory', '11680.00', '70.08'],
      ['storage', '73000.00', '8.47'],
    ])
    assert.equal(r.subtotal, '166.15')
    assert.equal(r.total, '166.15')
  })

  test('the §6.8 example: pro, one 4/16Gi/100Gi cluster all March, 20.00 credits, 20% tax', () => {
    const r = priceInvoice(input({
      intervals: [cluster('production', 4, 16, 100, '2026-02-20T08:00:00Z', null)],
      credits: '20.00', taxRate: '0.2',
    }))
    assert.deepEqual(r.lineItems, [
      { kind: 'platformFee', description: 'Pro plan', quantity: '1.0000', unit: 'month', unitPrice: '49.00', cost: '49.00' },
      { kind: 'cpu', description: 'CPU, cluster production', quantity: '2976.00', unit: 'vCPU-hour', unitPrice: '0.030', cost: '89.28' },
      { kind: 'memory', description: 'Memory, cluster production', quantity: '11904.00', unit: 'GiB-hour', unitPrice: '0.006', cost: '71.42' },
      { kind: 'storage', description: 'Storage, cluster production', quantity: '74400.00', unit: 'GiB-hour', unitPrice: '0.000116', cost: '8.63' },
    ])
    assert.deepEqual([r.subtotal, r.creditsApplied, r.tax, r.total, r.currency], ['218.33', '20.00', '39.67', '238.00', 'GBP'])
    assert.equal(r.planChangedInPeriod, false)
  })

  test('the §6.1 estimate: two clusters for 228 hours of April, full platform fee, 10.00 credits', () => {
    const period = periodNamed('2026-04')
    const r = priceInvoice(input({
      period, asOf: at('2026-04-10T12:00:00Z'), credits: '10.00', taxRate: '0.2',
      intervals: [
        cluster('production', 4, 16, 100, '2026-03-20T00:00:00Z', null),
        cluster('staging', 2, 8, 10, '2026-04-01T00:00:00Z', null),
      ],
    }))
    assert.deepEqual(r.lineItems.map((l) => [l.description, l.quantity, l.cost]), [
      ['Pro plan', '1.0000', '49.00'],
      ['CPU, cluster production', '912.00', '27.36'],
      ['Memory, cluster production', '3648.00', '21.89'],
      ['Storage, cluster production', '22800.00', '2.64'],
      ['CPU, cluster staging', '456.00', '13.68'],
      ['Memory, cluster staging', '1824.00', '10.94'],
      ['Storage, cluster staging', '2280.00', '0.26'],
    ])
    assert.deepEqual([r.subtotal, r.creditsApplied, r.tax, r.total], ['125.77', '10.00', '23.15', '138.92'])
  })

  test('a plan change prorates the platform fee by days; the day of the change counts for the new plan', () => {
    const r = priceInvoice(input({
      planChanges: [
        { plan: 'pro', effectiveAt: at('2026-01-15T09:30:00Z') },
        { plan: 'business', effectiveAt: at('2026-03-11T15:00:00Z') },
      ],
    }))
    assert.deepEqual(r.lineItems, [
      { kind: 'platformFee', description: 'Pro plan', quantity: '0.3226', unit: 'month', unitPrice: '49.00', cost: '15.81' },
      { kind: 'platformFee', description: 'Business plan', quantity: '0.6774', unit: 'month', unitPrice: '199.00', cost: '134.80' },
    ])
    assert.equal(r.subtotal, '150.61')
    assert.equal(r.planChangedInPeriod, true)
  })

  test('a tenant created during the period pays for the days it existed, creation day included', () => {
    const r = priceInvoice(input({ planChanges: [{ plan: 'pro', effectiveAt: at('2026-03-16T23:59:59Z') }] }))
    assert.deepEqual(r.lineItems.map((l) => [l.quantity, l.cost]), [['0.5161', '25.29']])
    assert.equal(r.planChangedInPeriod, false, 'creation is not a plan change')
  })

  test('credits larger than the subtotal cover it exactly and the total is 0.00, never negative', () => {
    const r = priceInvoice(input({ credits: '500.00', taxRate: '0.2', intervals: [cluster('a', 1, 2, 10, '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')] }))
    assert.equal(r.subtotal, '50.04') // 49.00 + 0.72 + 0.29 + 0.03
    assert.deepEqual([r.creditsApplied, r.tax, r.total], ['50.04', '0.00', '0.00'])
  })

  test('clusters are billed by name, deleted and resized clusters for the time they existed, HA per hour', () => {
    const r = priceInvoice(input({
      intervals: [
        cluster('zeta', 1, 2, 10, '2026-03-01T00:00:00Z', '2026-03-01T10:00:00Z'),
        cluster('zeta', 2, 2, 10, '2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'),
        cluster('alpha', 1, 1, 1, '2026-03-31T21:30:00Z', null, true),
      ],
    }))
    assert.deepEqual(r.lineItems.slice(1).map((l) => [l.kind, l.description, l.quantity, l.cost]), [
      ['cpu', 'CPU, cluster alpha', '2.50', '0.08'],
      ['memory', 'Memory, cluster alpha', '2.50', '0.02'],
      ['storage', 'Storage, cluster alpha', '2.50', '0.00'],
      ['ha', 'High availability, cluster alpha', '2.50', '0.13'],
      ['cpu', 'CPU, cluster zeta', '14.00', '0.42'],
      ['memory', 'Memory, cluster zeta', '24.00', '0.14'],
      ['storage', 'Storage, cluster zeta', '120.00', '0.01'],
    ])
    // 2.50 h × 0.05 = 0.125 → 0.13 half up (banker's rounding would give 0.12).
  })

  test('usage is measured to the second and quantities round half up', () => {
    const [u] = measureClusters([cluster('a', 1, 1, 1, '2026-03-01T00:00:00.900Z', '2026-03-01T00:00:18.999Z')], periodNamed('2026-03').start, periodNamed('2026-03').end)
    assert.equal(u!.seconds, 18n)
    const lines = clusterLines([u!], rates)
    assert.equal(lines[0]!.quantity, '0.01', '18 s of one core = 0.005 h → 0.01')
  })

  test('overage is billed only when allowed and above the allowance', () => {
    const observability = { activeSeriesP95: 60_000, logIngestBytes: 62_004_000_000n }
    const allowed = priceInvoice(input({ observability, enforceMetricsLimit: false, enforceLogLimit: false }))
    assert.deepEqual(allowed.lineItems.slice(1).map((l) => [l.kind, l.quantity, l.unit, l.cost]), [
      ['metricsOverage', '10000.00', 'series-month', '30.00'],
      ['logOverage', '12.00', 'GB', '3.60'],
    ])
    assert.equal(priceInvoice(input({ observability })).lineItems.length, 1, 'enforced limits bill no overage')
  })

  test('a tenant that held no plan in the period gets an empty invoice', () => {
    const r = priceInvoice(input({ planChanges: [{ plan: 'pro', effectiveAt: at('2026-04-02T00:00:00Z') }] }))
    assert.deepEqual([r.lineItems, r.subtotal, r.total], [[], '0.00', '0.00'])
  })
})

/** Deterministic PRNG (mulberry32) so a failing history can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomHistory(rand: () => number, from: number, to: number): AllocationInterval[] {
  const out: AllocationInterval[] = []
  const clusters = 1 + Math.floor(rand() * 4)
  for (let c = 0; c < clusters; c++) {
    let t = from + Math.floor(rand() * (to - from) * 0.5)
    const ha = rand() < 0.3
    const pieces = 1 + Math.floor(rand() * 4)
    for (let p = 0; p < pieces && t < to; p++) {
      const end = p === pieces - 1 && rand() < 0.5 ? null : t + 1000 * Math.floor(1 + rand() * 10 * 86_400)
      out.push({
        clusterId: `c${c}`, clusterName: `cluster-${c}`, cpuMillis: BigInt(1 + Math.floor(rand() * 16_000)),
        memoryBytes: BigInt(1 + Math.floor(rand() * 64 * 1024)) * (1n << 20n), storageBytes: BigInt(1 + Math.floor(rand() * 500)) * GiB + 7n,
        highAvailability: ha, startAt: new Date(t), endAt: end === null ? null : new Date(end),
      })
      if (end === null) break
      t = end
    }
  }
  return out
}

describe('pricing engine properties', () => {
  const period = periodNamed('2026-03')
  const from = period.start.getTime()
  const to = period.end.getTime()

  test('Σ line costs = subtotal, credits never exceed it, total never negative', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed)
      const r = priceInvoice(input({
        intervals: randomHistory(rand, from - 5 * 86_400_000, to), credits: (rand() * 300).toFixed(2), taxRate: (rand() * 0.3).toFixed(3),
      }))
      const sum = r.lineItems.reduce((s, l) => s.plus(l.cost), new D(0))
      assert.equal(sum.toFixed(2), r.subtotal, `seed ${seed}`)
      assert.ok(new D(r.creditsApplied).lte(r.subtotal), `seed ${seed}`)
      assert.ok(new D(r.total).gte(0), `seed ${seed}`)
      for (const l of r.lineItems) assert.equal(new D(l.quantity).times(l.unitPrice).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2), l.cost, `seed ${seed}: ${l.description}`)
    }
  })

  test('splitting the period in two changes the compute total by no more than rounding', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed)
      const intervals = randomHistory(rand, from, to)
      const split = new Date(from + Math.floor(rand() * (to - from)))
      const cost = (a: Date, b: Date) => clusterLines(measureClusters(intervals, a, b), rates)
      const total = (lines: ReturnType<typeof cost>) => lines.reduce((s, l) => s.plus(l.cost), new D(0))
      const whole = cost(period.start, period.end)
      const parts = total(cost(period.start, split)).plus(total(cost(split, period.end)))
      // Each line rounds its quantity (±0.005) and its cost (±0.005) once per part and once whole.
      const bound = whole.reduce((s, l) => s.plus(new D('0.015').times(l.unitPrice)).plus('0.015'), new D(0))
      assert.ok(parts.minus(total(whole)).abs().lte(bound), `seed ${seed}: ${parts} vs ${total(whole)} (bound ${bound})`)
    }
  })
})
