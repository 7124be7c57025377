import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Container } from '../src/container.js'
import { closeBillingPeriod } from '../src/domain/invoices/close-billing-period.js'
import { ManualClock } from '../src/lib/clock.js'
import { findCluster, findClusterById } from '../src/store/clusters.js'
import type { Executor } from '../src/store/db.js'
import { findTenantByName } from '../src/store/tenants.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * Issue #5 end to end on a hand-moved clock: clusters are created, resized and deleted through the
 * API across June 2026, the platform operator closes the month through the admin route, and the
 * tenant reads back the exact invoice (every line hand-checked below). Then: closing twice, a
 * crash in the middle of a close, the invoice lifecycle, credits larger than the subtotal, and
 * observability usage (ingest idempotency, P95 and log overage when enforcement is off).
 * Tax rate 20%, invoices due 10 days after the period ends (KUPE_INVOICE_DUE_DAYS).
 */
describe('monthly close and invoice lifecycle (issue #5)', () => {
  const clock = new ManualClock(new Date('2026-05-20T10:00:00Z'))
  let s: TestServer
  let admin: string
  const keys: Record<string, string> = {}
  let readonly: string

  const at = (iso: string) => clock.set(new Date(iso))
  const db = () => s.server.container.db as Executor
  const api = (method: string, path: string, token: string, body?: unknown) => s.request(method, path, { token, body })
  const asAdmin = (method: string, path: string, body?: unknown) => api(method, path, admin, body)

  async function createCluster(tenant: string, body: Record<string, unknown>): Promise<void> {
    const r = await api('POST', `/api/v1/tenants/${tenant}/clusters`, keys[tenant]!, body)
    assert.equal(r.status, 201, r.text)
  }

  /**
   * Deletes a cluster so that it is gone at the current second: the simulated backend needs one
   * 0.3 s step, so the clock moves by exactly that once the teardown has started.
   */
  async function deleteCluster(tenant: string, name: string): Promise<void> {
    const tenantRow = (await findTenantByName(db(), tenant))!
    const id = (await findCluster(db(), tenantRow.id, name))!.id
    assert.equal((await api('DELETE', `/api/v1/tenants/${tenant}/clusters/${name}`, keys[tenant]!)).status, 204)
    await eventually(async () => ((await findClusterById(db(), id))?.provider_state.deprovisionStartedAt ? true : undefined), 15_000, 'teardown started')
    clock.advance(300)
    await eventually(async () => ((await api('GET', `/api/v1/tenants/${tenant}/clusters/${name}`, keys[tenant]!)).status === 404 ? true : undefined), 15_000, 'cluster gone')
  }

  const summary = (inv: { status: Record<string, unknown> }) =>
    [inv.status.phase, inv.status.subtotal, inv.status.creditsApplied, inv.status.tax, inv.status.total]
  const lines = (inv: { status: { lineItems: Array<Record<string, string>> } }) =>
    inv.status.lineItems.map((l) => [l.kind, l.description, l.quantity, l.unit, l.unitPrice, l.cost])

  before(async () => {
    s = await startTestServer({ clock, overrides: { taxRate: '0.2', invoiceDueDays: '10' } })
    admin = s.adminToken
    for (const [name, plan] of [['acme', 'pro'], ['hooli', 'pro'], ['initech', 'starter']] as const) {
      keys[name] = (await s.createTenant(name, { plan })).key
    }
    readonly = (await s.createKey('acme', keys.acme!, 'readonly')).key
    // Hooli allows overage; acme keeps the default hard limits.
    const r = await api('PATCH', '/api/v1/tenants/hooli', keys.hooli!, { enforceMetricsLimit: false, enforceLogLimit: false })
    assert.equal(r.status, 200, r.text)
  })
  after(() => s.stop())

  test('June: clusters created, resized and deleted; the admin close bills exactly what they held', async () => {
    at('2026-06-01T00:00:00Z')
    await createCluster('acme', { name: 'web', resources: { cpu: '2', memory: '4Gi', storage: '20Gi' } })
    await createCluster('initech', { name: 'db', resources: { cpu: '1', memory: '2Gi', storage: '10Gi' } })
    const grant = await asAdmin('POST', '/api/v1/admin/tenants/initech/credits', { amount: '500.00', reason: 'Launch partner' })
    assert.equal(grant.status, 201, grant.text)

    at('2026-06-05T12:00:00Z')
    await createCluster('acme', { name: 'api', highAvailability: true, resources: { cpu: '1', memory: '2Gi', storage: '10Gi' } })

    at('2026-06-11T00:00:00Z') // web held 2 CPU / 4Gi for 240 hours; now 4 CPU / 8Gi for the last 480
    const patched = await api('PATCH', '/api/v1/tenants/acme/clusters/web', keys.acme!, { resources: { cpu: '4', memory: '8Gi' } })
    assert.equal(patched.status, 200, patched.text)

    at('2026-06-15T12:00:00Z') // api existed for exactly 240 hours
    await deleteCluster('acme', 'api')

    at('2026-06-20T09:00:00Z')
    const credit = await asAdmin('POST', '/api/v1/admin/tenants/acme/credits', { amount: '25.00', reason: 'Outage on 19 June', expiresAt: '2026-12-31T00:00:00+01:00' })
    assert.equal(credit.status, 201, credit.text)
    assert.deepEqual({ ...credit.body, id: undefined }, {
      id: undefined, amount: '25.00', remaining: '25.00', reason: 'Outage on 19 June', expiresAt: '2026-12-30T23:00:00Z', createdAt: '2026-06-20T09:00:00Z',
    })
    // Acme goes far over its series allowance, but its limits are enforced: no overage is billed.
    const ingest = await asAdmin('POST', '/v1/usage/ingest', {
      samples: Array.from({ length: 100 }, (_, i) => ({ tenant: 'acme', hour: new Date(Date.UTC(2026, 5, 2, i)).toISOString(), activeSeries: 90_000, logBytes: 2_000_000_000 })),
    })
    assert.equal(ingest.status, 200, ingest.text)

    // Half an hour after the month ends the controller still waits (late samples); the operator closes it now.
    at('2026-07-01T00:30:00Z')
    const closed = await asAdmin('POST', '/api/v1/admin/billing/close?period=2026-06')
    assert.equal(closed.status, 200, closed.text)
    assert.equal(closed.body.period, '2026-06')
    assert.deepEqual(closed.body.items.map((i: { tenant: string }) => i.tenant), ['acme', 'hooli', 'initech'])
    const june = closed.body.items[0].invoice

    const r = await api('GET', '/api/v1/tenants/acme/invoices/2026-06', readonly)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, {
      name: '2026-06',
      billingPeriod: { start: '2026-06-01T00:00:00Z', end: '2026-06-30T23:59:59Z' },
      createdAt: '2026-06-01T00:00:00Z',
      resourceVersion: june.resourceVersion,
      status: {
        // 49.00 + 7.20 + 2.88 + 0.28 + 12.00 + 72.00 + 28.80 + 1.67 = 173.83; tax (173.83 − 25.00) × 0.2 = 29.766 → 29.77
        phase: 'Billed', currency: 'GBP', subtotal: '173.83', creditsApplied: '25.00', tax: '29.77', total: '178.60',
        dueDate: '2026-07-11T00:00:00Z',
        lineItems: [
          { kind: 'platformFee', description: 'Pro plan', quantity: '1.0000', unit: 'month', unitPrice: '49.00', cost: '49.00' },
          // api: 1 CPU, 2 GiB, 10 GiB, HA, for 240 hours
          { kind: 'cpu', description: 'CPU, cluster api', quantity: '240.00', unit: 'vCPU-hour', unitPrice: '0.030', cost: '7.20' },
          { kind: 'memory', description: 'Memory, cluster api', quantity: '480.00', unit: 'GiB-hour', unitPrice: '0.006', cost: '2.88' },
          { kind: 'storage', description: 'Storage, cluster api', quantity: '2400.00', unit: 'GiB-hour', unitPrice: '0.000116', cost: '0.28' },
          { kind: 'ha', description: 'High availability, cluster api', quantity: '240.00', unit: 'hour', unitPrice: '0.05', cost: '12.00' },
          // web: 2 × 240 + 4 × 480 vCPU-hours, 4 × 240 + 8 × 480 GiB-hours, 20 GiB × 720 hours
          { kind: 'cpu', description: 'CPU, cluster web', quantity: '2400.00', unit: 'vCPU-hour', unitPrice: '0.030', cost: '72.00' },
          { kind: 'memory', description: 'Memory, cluster web', quantity: '4800.00', unit: 'GiB-hour', unitPrice: '0.006', cost: '28.80' },
          { kind: 'storage', description: 'Storage, cluster web', quantity: '14400.00', unit: 'GiB-hour', unitPrice: '0.000116', cost: '1.67' },
        ],
      },
    })
    assert.deepEqual(r.body, june, 'the admin close returns the invoice the tenant reads')

    // May was closed too (by the controller on its own, or by this close): created on the 20th, 12 of 31 days.
    const list = await api('GET', '/api/v1/tenants/acme/invoices', readonly)
    assert.equal(list.status, 200)
    assert.deepEqual(list.body.items.map((i: { name: string }) => i.name), ['2026-05', '2026-06'])
    assert.deepEqual(lines(list.body.items[0]), [['platformFee', 'Pro plan', '0.3871', 'month', '49.00', '18.97']])
    assert.deepEqual(summary(list.body.items[0]).slice(1), ['18.97', '0.00', '3.79', '22.76'])

    const credits = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits')
    assert.deepEqual(credits.body.items.map((c: { remaining: string }) => c.remaining), ['0.00'], 'the close drew the whole credit')
  })

  test('credits larger than the subtotal: the total is zero, no tax, and the rest stays for later', async () => {
    const r = await api('GET', '/api/v1/tenants/initech/invoices/2026-06', keys.initech!)
    assert.deepEqual(lines(r.body), [
      ['platformFee', 'Starter plan', '1.0000', 'month', '0.00', '0.00'],
      ['cpu', 'CPU, cluster db', '720.00', 'vCPU-hour', '0.030', '21.60'],
      ['memory', 'Memory, cluster db', '1440.00', 'GiB-hour', '0.006', '8.64'],
      ['storage', 'Storage, cluster db', '7200.00', 'GiB-hour', '0.000116', '0.84'],
    ])
    assert.deepEqual(summary(r.body), ['Billed', '31.08', '31.08', '0.00', '0.00'])
    const credits = await asAdmin('GET', '/api/v1/admin/tenants/initech/credits')
    assert.deepEqual(credits.body.items.map((c: { amount: string; remaining: string }) => [c.amount, c.remaining]), [['500.00', '468.92']])
    // The Draft of July already counts on what is left.
    const t = await api('GET', '/api/v1/tenants/initech', keys.initech!)
    assert.equal(t.body.status.currentUsage.estimatedTotal, '0.00')
    assert.equal(t.body.status.currentUsage.estimatedCreditsApplied, t.body.status.currentUsage.estimatedSubtotal)
  })

  test('closing twice gives the identical invoice, and the close route is idempotent', async () => {
    const first = await api('GET', '/api/v1/tenants/acme/invoices/2026-06', keys.acme!)
    const again = await asAdmin('POST', '/api/v1/admin/billing/close?period=2026-06')
    assert.equal(again.status, 200)
    assert.deepEqual(again.body.items[0].invoice, first.body)
    const direct = await closeBillingPeriod(s.server.container, (await findTenantByName(db(), 'acme'))!.id, '2026-06')
    assert.deepEqual(direct, first.body)
    assert.deepEqual((await api('GET', '/api/v1/tenants/acme/invoices/2026-06', keys.acme!)).body, first.body)
    const credits = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits')
    assert.equal(credits.body.items[0].remaining, '0.00', 'credits are drawn once')
  })

  test('the close route refuses an open period and a malformed one; it is for the platform admin only', async () => {
    const open = await asAdmin('POST', '/api/v1/admin/billing/close?period=2026-07')
    assert.deepEqual([open.status, open.body], [409, { error: 'Billing period has not ended' }])
    for (const q of ['?period=2026-13', '?period=june', '']) {
      const r = await asAdmin('POST', `/api/v1/admin/billing/close${q}`)
      assert.deepEqual([r.status, r.body], [400, { error: 'Invalid billing period' }], q)
    }
    const tenantKey = await s.request('POST', '/api/v1/admin/billing/close?period=2026-06', { token: keys.acme })
    assert.deepEqual([tenantKey.status, tenantKey.body], [403, { error: 'Admin access required' }])
    assert.equal((await s.request('POST', '/api/v1/admin/billing/close?period=2026-06')).status, 401)
  })

  test('PastDue once the due date passes (controller), then Paid; repeating a move changes nothing', async () => {
    const billed = (await api('GET', '/api/v1/tenants/acme/invoices/2026-06', keys.acme!)).body
    at('2026-07-11T00:00:01Z')
    const pastDue = await eventually(async () => {
      const r = await api('GET', '/api/v1/tenants/acme/invoices/2026-06', keys.acme!)
      return r.body.status.phase === 'PastDue' ? r.body : undefined
    }, 15_000, 'PastDue')
    assert.ok(BigInt(pastDue.resourceVersion) > BigInt(billed.resourceVersion), 'a phase change is a new resourceVersion')
    assert.deepEqual({ ...pastDue, resourceVersion: undefined, status: { ...pastDue.status, phase: undefined } },
      { ...billed, resourceVersion: undefined, status: { ...billed.status, phase: undefined } }, 'nothing else changes')

    const paid = await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-06/paid')
    assert.equal(paid.status, 200, paid.text)
    assert.equal(paid.body.status.phase, 'Paid')
    assert.ok(BigInt(paid.body.resourceVersion) > BigInt(pastDue.resourceVersion))
    const twice = await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-06/paid')
    assert.deepEqual(twice.body, paid.body, 'paying again is a no-op')
    const voidPaid = await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-06/void')
    assert.deepEqual([voidPaid.status, voidPaid.body], [409, { error: 'Invoice is Paid' }])
    // The tenant sees it Paid; it stays so (the controller only moves Billed invoices).
    assert.equal((await api('GET', '/api/v1/tenants/acme/invoices/2026-06', readonly)).body.status.phase, 'Paid')

    // Billed or PastDue, either can be paid: hooli's June.
    const hooli = await asAdmin('POST', '/api/v1/admin/tenants/hooli/invoices/2026-06/paid')
    assert.equal(hooli.body.status.phase, 'Paid')
  })

  test('invoice moves check their target first', async () => {
    const cases: Array<[string, number, Record<string, string>]> = [
      ['/api/v1/admin/tenants/acme/invoices/2026-7/paid', 400, { error: 'Invalid invoice name' }],
      ['/api/v1/admin/tenants/nobody/invoices/2026-06/paid', 404, { error: 'Tenant not found' }],
      ['/api/v1/admin/tenants/acme/invoices/2026-07/paid', 404, { error: 'Invoice not found' }], // the open period's Draft
      ['/api/v1/admin/tenants/acme/invoices/2025-01/void', 404, { error: 'Invoice not found' }],
    ]
    for (const [path, status, body] of cases) {
      const r = await asAdmin('POST', path)
      assert.deepEqual([r.status, r.body], [status, body], path)
    }
    const r = await s.request('POST', '/api/v1/admin/tenants/acme/invoices/2026-06/paid', { token: keys.acme })
    assert.deepEqual([r.status, r.body], [403, { error: 'Admin access required' }])
  })

  test('observability: a repeated hour replaces, P95 of active series and log GB, billed only when overage is allowed', async () => {
    at('2026-07-20T00:00:00Z')
    // 38 busy hours at 60,000 series and two spikes; 1 GB of logs an hour, and one big log-only hour.
    const samples = Array.from({ length: 40 }, (_, i) => ({
      tenant: 'hooli', hour: new Date(Date.UTC(2026, 6, 1, i)).toISOString(), activeSeries: i < 38 ? 60_000 : 500_000, logBytes: 1_000_000_000,
    }))
    const first = await asAdmin('POST', '/v1/usage/ingest', { samples: [...samples, { tenant: 'hooli', hour: '2026-07-05T04:59:59Z', logBytes: 22_500_000_000 }] })
    assert.equal(first.status, 200, first.text)
    assert.deepEqual(first.body.items.at(-1), { tenant: 'hooli', hour: '2026-07-05T04:00:00Z', logBytes: 22_500_000_000, updatedAt: '2026-07-20T00:00:00Z' })

    const usage = async () => (await api('GET', '/api/v1/tenants/hooli', keys.hooli!)).body.status.currentUsage
    // 456 hours so far: rank ceil(0.95 × 456) = 434 of 416 silent hours and the 40 sampled → 60,000.
    assert.deepEqual((await usage()).observability, {
      currentActiveSeries: 500_000, billableActiveSeriesP95: 60_000, metricsOverageCost: '30.00',
      logIngestBytes: 62_500_000_000, logIngestGB: '62.50', logOverageCost: '3.75',
    })

    // The same hour again replaces its figure (never adds); a field left out keeps its value.
    const again = await asAdmin('POST', '/v1/usage/ingest', {
      samples: [{ tenant: 'hooli', hour: '2026-07-05T04:00:00Z', logBytes: 12_500_000_000 }, { tenant: 'hooli', hour: '2026-07-01T00:00:00Z', activeSeries: 60_000 }],
    })
    assert.equal(again.status, 200, again.text)
    assert.deepEqual(again.body.items.map((i: Record<string, unknown>) => [i.activeSeries, i.logBytes]), [[undefined, 12_500_000_000], [60_000, 1_000_000_000]])
    const replay = await asAdmin('POST', '/v1/usage/ingest', { samples: [{ tenant: 'hooli', hour: '2026-07-05T04:30:00Z', logBytes: 12_500_000_000 }] })
    assert.equal(replay.status, 200)
    const obs = (await usage()).observability
    assert.deepEqual([obs.logIngestBytes, obs.logIngestGB, obs.logOverageCost], [52_500_000_000, '52.50', '0.75'])

    // Acme's series are far over its allowance too, but its limits are enforced: nothing billed.
    await asAdmin('POST', '/v1/usage/ingest', { samples: [{ tenant: 'acme', hour: '2026-07-01T00:00:00Z', activeSeries: 999_999 }] })
    const acme = (await api('GET', '/api/v1/tenants/acme', keys.acme!)).body.status.currentUsage.observability
    assert.deepEqual([acme.currentActiveSeries, acme.metricsOverageCost, acme.logOverageCost], [999_999, '0.00', '0.00'])
  })

  test('ingest checks every sample before writing any', async () => {
    const ok = { tenant: 'hooli', hour: '2026-07-10T00:00:00Z', activeSeries: 1 }
    const cases: Array<[unknown, number, Record<string, string>]> = [
      [ok, 400, { error: 'Unknown field "tenant"', code: 'UNKNOWN_FIELD', field: 'tenant' }],
      [{ samples: [ok, { ...ok, tenant: 'nobody' }] }, 400, { error: 'Invalid value for "samples[1].tenant": unknown tenant "nobody"', code: 'INVALID_FIELD', field: 'samples[1].tenant' }],
      [{ samples: [{ ...ok, hour: '2026-07-20T01:00:00Z' }] }, 400, { error: 'Invalid value for "samples[0].hour": must not be in the future', code: 'INVALID_FIELD', field: 'samples[0].hour' }],
      [{ samples: [{ tenant: 'hooli', hour: ok.hour }] }, 400, { error: 'Invalid value for "samples[0]": must carry activeSeries or logBytes', code: 'INVALID_FIELD', field: 'samples[0]' }],
      [{ samples: [{ ...ok, activeSeries: -1 }] }, 400, { error: 'Invalid value for "samples[0].activeSeries": must be at least 0', code: 'INVALID_FIELD', field: 'samples[0].activeSeries' }],
    ]
    for (const [body, status, expected] of cases) {
      const r = await asAdmin('POST', '/v1/usage/ingest', body)
      assert.deepEqual([r.status, r.body.error, r.body.code, r.body.field], [status, expected.error, expected.code, expected.field], JSON.stringify(body))
    }
    const t = await api('GET', '/api/v1/tenants/hooli', keys.hooli!)
    assert.equal(t.body.status.currentUsage.observability.currentActiveSeries, 500_000, 'nothing of the refused batches was written')
    assert.equal((await s.request('POST', '/v1/usage/ingest', { token: keys.hooli, body: { samples: [ok] } })).status, 403)
  })

  test('a crash in the middle of a close leaves neither invoice nor credit drawn; the retry closes it completely', async () => {
    const grant = await asAdmin('POST', '/api/v1/admin/tenants/acme/credits', { amount: '15.00', reason: 'Goodwill' })
    assert.equal(grant.status, 201)
    at('2026-08-01T00:10:00Z') // July has ended; the controller waits out its grace hour

    // The close stores the invoice, then draws credits: fail the credit bookkeeping after the insert.
    const steps: string[] = []
    const crashing = withFailingInsert(s.server.container, 'credit_applications', steps)
    const acmeId = (await findTenantByName(db(), 'acme'))!.id
    await assert.rejects(closeBillingPeriod(crashing, acmeId, '2026-07'), /injected failure/)
    assert.deepEqual(steps, ['insert invoices', 'insert credit_applications'], 'the invoice was written before the failure')

    const missing = await api('GET', '/api/v1/tenants/acme/invoices/2026-07', keys.acme!)
    assert.deepEqual([missing.status, missing.body], [404, { error: 'Invoice not found' }], 'no partial invoice')
    const list = await api('GET', '/api/v1/tenants/acme/invoices', keys.acme!)
    assert.deepEqual(list.body.items.map((i: { name: string }) => i.name), ['2026-05', '2026-06'])
    const untouched = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits')
    assert.deepEqual(untouched.body.items.map((c: { remaining: string }) => c.remaining), ['0.00', '15.00'], 'no credit drawn')

    const retry = await asAdmin('POST', '/api/v1/admin/billing/close?period=2026-07')
    assert.equal(retry.status, 200, retry.text)
    const july = await api('GET', '/api/v1/tenants/acme/invoices/2026-07', keys.acme!)
    // web all July: 4 × 744, 8 × 744, 20 × 744; (175.72 − 15.00) × 0.2 = 32.144 → 32.14
    assert.deepEqual(lines(july.body), [
      ['platformFee', 'Pro plan', '1.0000', 'month', '49.00', '49.00'],
      ['cpu', 'CPU, cluster web', '2976.00', 'vCPU-hour', '0.030', '89.28'],
      ['memory', 'Memory, cluster web', '5952.00', 'GiB-hour', '0.006', '35.71'],
      ['storage', 'Storage, cluster web', '14880.00', 'GiB-hour', '0.000116', '1.73'],
    ])
    assert.deepEqual(summary(july.body), ['Billed', '175.72', '15.00', '32.14', '192.86'])
    const drawn = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits')
    assert.deepEqual(drawn.body.items.map((c: { remaining: string }) => c.remaining), ['0.00', '0.00'])

    // Hooli's July, closed by the same retry: P95 60,000 − 50,000 series, 52.5 − 50 GB of logs.
    const hooli = await api('GET', '/api/v1/tenants/hooli/invoices/2026-07', keys.hooli!)
    assert.deepEqual(lines(hooli.body), [
      ['platformFee', 'Pro plan', '1.0000', 'month', '49.00', '49.00'],
      ['metricsOverage', 'Metrics overage, active series above the plan allowance', '10000.00', 'series-month', '0.003', '30.00'],
      ['logOverage', 'Log ingestion above the plan allowance', '2.50', 'GB', '0.30', '0.75'],
    ])
    assert.deepEqual(summary(hooli.body), ['Billed', '79.75', '0.00', '15.95', '95.70'])
  })

  test('voiding cancels the invoice and gives back the credits it drew; a void is final', async () => {
    const before = (await api('GET', '/api/v1/tenants/acme/invoices/2026-07', keys.acme!)).body
    const voided = await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-07/void')
    assert.equal(voided.status, 200, voided.text)
    assert.equal(voided.body.status.phase, 'Canceled')
    assert.ok(BigInt(voided.body.resourceVersion) > BigInt(before.resourceVersion))
    const credits = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits')
    assert.deepEqual(credits.body.items.map((c: { remaining: string }) => c.remaining), ['0.00', '15.00'])

    assert.deepEqual((await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-07/void')).body, voided.body, 'voiding again is a no-op')
    const pay = await asAdmin('POST', '/api/v1/admin/tenants/acme/invoices/2026-07/paid')
    assert.deepEqual([pay.status, pay.body], [409, { error: 'Invoice is Canceled' }])
    // Closing July again neither re-bills it nor draws the credit a second time.
    at('2026-08-02T00:00:00Z')
    const again = await asAdmin('POST', '/api/v1/admin/billing/close?period=2026-07')
    assert.deepEqual(again.body.items[0].invoice, voided.body)
    const list = await api('GET', '/api/v1/tenants/acme/invoices', readonly)
    assert.deepEqual(list.body.items.map((i: { name: string; status: { phase: string } }) => [i.name, i.status.phase]), [
      ['2026-05', 'PastDue'], ['2026-06', 'Paid'], ['2026-07', 'Canceled'],
    ])
    // Initech's June, due on 11 July, owed nothing (credits covered it): never PastDue.
    const initech = await api('GET', '/api/v1/tenants/initech/invoices/2026-06', keys.initech!)
    assert.deepEqual([initech.body.status.phase, initech.body.status.total], ['Billed', '0.00'])
  })

  test('credits: validation, unknown tenant, pagination', async () => {
    const cases: Array<[unknown, number, Record<string, string>]> = [
      [{ amount: '0.00', reason: 'x' }, 400, { error: 'Invalid value for "amount": must be greater than zero', code: 'INVALID_FIELD', field: 'amount' }],
      [{ amount: '10', reason: 'x' }, 400, { error: 'Invalid value for "amount": has an invalid format', code: 'INVALID_FIELD', field: 'amount' }],
      [{ amount: '10.00' }, 400, { error: 'Missing required field "reason"', code: 'REQUIRED_FIELD', field: 'reason' }],
      [{ amount: '10.00', reason: 'x', expiresAt: '2026-08-01T00:00:00Z' }, 400, { error: 'Invalid value for "expiresAt": must be in the future', code: 'INVALID_FIELD', field: 'expiresAt' }],
      [{ amount: '10.00', reason: 'x', extra: 1 }, 400, { error: 'Unknown field "extra"', code: 'UNKNOWN_FIELD', field: 'extra' }],
    ]
    for (const [body, status, expected] of cases) {
      const r = await asAdmin('POST', '/api/v1/admin/tenants/acme/credits', body)
      assert.deepEqual([r.status, r.body.error, r.body.code, r.body.field], [status, expected.error, expected.code, expected.field], JSON.stringify(body))
    }
    const nobody = await asAdmin('POST', '/api/v1/admin/tenants/nobody/credits', { amount: '1.00', reason: 'x' })
    assert.deepEqual([nobody.status, nobody.body], [404, { error: 'Tenant not found' }])
    const p1 = await asAdmin('GET', '/api/v1/admin/tenants/acme/credits?limit=1')
    assert.deepEqual(p1.body.items.map((c: { reason: string }) => c.reason), ['Outage on 19 June'])
    const p2 = await asAdmin('GET', `/api/v1/admin/tenants/acme/credits?limit=1&continue=${p1.body.continue}`)
    assert.deepEqual(p2.body.items.map((c: { reason: string }) => c.reason), ['Goodwill'])
    assert.equal('continue' in p2.body, false)
    assert.equal((await s.request('GET', '/api/v1/admin/tenants/acme/credits', { token: keys.acme })).status, 403)
  })
})

/**
 * The container with a database whose transactions fail at the first insert into `table` — after
 * recording every insert — standing in for a crash in the middle of a close.
 */
function withFailingInsert(container: Container, table: string, steps: string[]): Container {
  const bind = <T extends object>(target: T, prop: string | symbol) => {
    const v = Reflect.get(target, prop, target) as unknown
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
  }
  const wrapTrx = <T extends object>(trx: T): T =>
    new Proxy(trx, {
      get(target, prop) {
        if (prop !== 'insertInto') return bind(target, prop)
        return (name: string) => {
          steps.push(`insert ${name}`)
          if (name === table) throw new Error(`injected failure writing ${name}`)
          return (target as unknown as { insertInto(n: string): unknown }).insertInto(name)
        }
      },
    })
  const db = new Proxy(container.db, {
    get(target, prop) {
      if (prop !== 'transaction') return bind(target, prop)
      return () => {
        const builder = target.transaction()
        return { execute: <R>(fn: (trx: unknown) => Promise<R>) => builder.execute((trx) => fn(wrapTrx(trx))) }
      }
    },
  })
  return { ...container, db }
}
