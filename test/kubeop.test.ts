import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ManualClock } from '../src/lib/clock.js'
import { findTenantByName } from '../src/store/tenants.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * kubeOP-compatible operator routes (seed 004): usage snapshot, the open period's invoice summary
 * and platform analytics, over real HTTP, for the platform admin only. A `pro` tenant with two
 * clusters and synced secrets, and a suspended `enterprise` tenant (no resource pool).
 */
describe('kubeOP operator routes under /v1', () => {
  const clock = new ManualClock(new Date('2026-04-06T12:00:00Z'))
  let s: TestServer
  let acme: string
  let umbrella: string
  const ids: Record<string, string> = {}
  const asAdmin = (path: string) => s.request('GET', path, { token: s.adminToken })

  before(async () => {
    s = await startTestServer({ clock })
    acme = (await s.createTenant('acme', { plan: 'pro' })).key
    umbrella = (await s.createTenant('umbrella', { plan: 'enterprise' })).key
    for (const name of ['acme', 'umbrella']) ids[name] = (await findTenantByName(s.server.container.db, name))!.id
    const post = async (tenant: string, token: string, what: string, body: unknown) => {
      const r = await s.request('POST', `/api/v1/tenants/${tenant}/${what}`, { token, body })
      assert.equal(r.status, 201, r.text)
    }
    await post('acme', acme, 'clusters', { name: 'production', resources: { cpu: '4', memory: '16Gi', storage: '100Gi' } })
    await post('acme', acme, 'clusters', { name: 'staging' }) // server defaults: 1 CPU, 2Gi, 10Gi
    await post('umbrella', umbrella, 'clusters', { name: 'lab', resources: { cpu: '2', memory: '4Gi', storage: '20Gi' } })
    await eventually(async () => {
      clock.advance(500) // the simulated backend's steps run on this clock
      const phases = await Promise.all([['acme', acme], ['umbrella', umbrella]].map(async ([t, k]) =>
        (await s.request('GET', `/api/v1/tenants/${t}/clusters`, { token: k })).body.items.map((c: { status: { phase: string } }) => c.status.phase)))
      return phases.flat().every((p) => p === 'Running') ? true : undefined
    }, 20_000, 'clusters Running')

    const put = await s.request('PUT', '/api/v1/tenants/acme/vault/app/db', { token: acme, body: { data: { password: 's3cr3t' } } })
    assert.ok(put.status < 300, put.text)
    await post('acme', acme, 'secrets', {
      name: 'db', secretPath: 'app/db',
      sync: [{ cluster: 'production', namespace: 'default' }, { cluster: 'production', namespace: 'backend' }, { cluster: 'staging', namespace: 'default' }],
    })
    await post('acme', acme, 'secrets', { name: 'cache', secretPath: 'app/db', sync: [{ cluster: 'production', namespace: 'default', secretName: 'cache-creds' }] })
    await post('acme', acme, 'secrets', { name: 'broken', secretPath: 'app/db', sync: [{ cluster: 'ghost', namespace: 'default' }] })
    await eventually(async () => {
      const r = await s.request('GET', '/api/v1/tenants/acme/secrets', { token: acme })
      const phases = Object.fromEntries(r.body.items.map((x: { name: string; status: { phase: string } }) => [x.name, x.status.phase]))
      return phases.db === 'Synced' && phases.cache === 'Synced' && phases.broken === 'Failed' ? true : undefined
    }, 20_000, 'secrets synced')
    assert.equal((await s.request('POST', '/api/v1/admin/tenants/umbrella/suspend', { token: s.adminToken })).status, 200)
  })
  after(() => s.stop())

  const routes = ['/v1/usage/snapshot', '/v1/invoices/acme', '/v1/analytics/summary']

  test('every route is for the platform admin: no token → 401, a tenant key → 403', async () => {
    for (const path of [...routes, 'POST /v1/usage/ingest']) {
      const [method, url] = path.startsWith('POST ') ? ['POST', path.slice(5)] : ['GET', path]
      const body = method === 'POST' ? { samples: [{ tenant: 'acme', hour: '2026-04-06T11:00:00Z', activeSeries: 1 }] } : undefined
      const anon = await s.request(method, url, { body })
      assert.deepEqual([anon.status, anon.body], [401, { error: 'Missing or invalid authentication' }], path)
      assert.equal(anon.headers.get('www-authenticate'), 'Bearer realm="kupe"')
      const tenant = await s.request(method, url, { token: acme, body })
      assert.deepEqual([tenant.status, tenant.body], [403, { error: 'Admin access required' }], path)
    }
    const wrongMethod = await s.request('DELETE', '/v1/usage/snapshot', { token: s.adminToken })
    assert.deepEqual([wrongMethod.status, wrongMethod.headers.get('allow')], [405, 'GET'])
  })

  test('usage snapshot: plan pools as quotas, allocations, clusters, synced namespaces; no projects or apps', async () => {
    const r = await asAdmin('/v1/usage/snapshot')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, {
      generated_at: r.body.generated_at,
      totals: {
        tenants: 2, clusters: 3, projects: 0, apps: 0,
        namespaces: 3, // production/default, production/backend, staging/default (cache shares production/default; ghost never synced)
        quotas: { cpu: '8', memory: '32', storage: '200' }, // the pro pool; enterprise has none
        unlimited_tenants: 1,
        allocated: { cpu: '7', memory: '22', storage: '130' },
      },
      tenants: [
        {
          tenant_id: ids.acme, tenant_name: 'acme', plan: 'pro', phase: 'Active', clusters: 2, projects: 0, apps: 0, namespaces: 3,
          quotas: { cpu: '8', memory: '32', storage: '200' }, allocated: { cpu: '5', memory: '18', storage: '110' },
        },
        {
          tenant_id: ids.umbrella, tenant_name: 'umbrella', plan: 'enterprise', phase: 'Suspended', clusters: 1, projects: 0, apps: 0, namespaces: 0,
          quotas: null, allocated: { cpu: '2', memory: '4', storage: '20' },
        },
      ],
    })
    assert.equal(r.body.generated_at, clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'))
    // The same figures the tenant sees in its own status.
    const t = await s.request('GET', '/api/v1/tenants/acme', { token: acme })
    assert.deepEqual(r.body.tenants[0]!.allocated, t.body.status.allocatedResources)
  })

  test('invoice summary: the open period Draft the tenant sees, by tenant name or id', async () => {
    const byName = await asAdmin('/v1/invoices/acme')
    assert.equal(byName.status, 200, byName.text)
    const byId = await asAdmin(`/v1/invoices/${ids.acme}`)
    assert.deepEqual(byId.body, byName.body)
    const draft = (await s.request('GET', '/api/v1/tenants/acme/invoices/2026-04', { token: acme })).body
    assert.equal(draft.status.phase, 'Draft')
    assert.deepEqual(byName.body, {
      tenant_id: ids.acme, tenant_name: 'acme', period: '2026-04',
      period_start: '2026-04-01T00:00:00Z', period_end: '2026-04-30T23:59:59Z', status: 'Draft',
      lines: draft.status.lineItems.map((l: Record<string, string>) => ({
        kind: l.kind, description: l.description, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, cost: l.cost,
      })),
      subtotal: draft.status.subtotal, credits_applied: draft.status.creditsApplied, tax: draft.status.tax, total: draft.status.total, currency: 'GBP',
    })
    // Created on the 6th at noon: 25 of 30 days of Pro, and two clusters for a few seconds.
    assert.deepEqual(byName.body.lines.map((l: { kind: string }) => l.kind), ['platformFee', 'cpu', 'memory', 'storage', 'cpu', 'memory', 'storage'])
    assert.deepEqual(byName.body.lines[0], { kind: 'platformFee', description: 'Pro plan', quantity: '0.8333', unit: 'month', unit_price: '49.00', cost: '40.83' })
    const missing = await asAdmin('/v1/invoices/nobody')
    assert.deepEqual([missing.status, missing.body], [404, { error: 'Tenant not found' }])
  })

  test('analytics: tenants, clusters by phase, secrets by sync outcome', async () => {
    const r = await asAdmin('/v1/analytics/summary')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual({ ...r.body, api_requests: undefined, generated_at: undefined }, {
      generated_at: undefined, api_requests: undefined,
      tenants: { total: 2, active: 1, suspended: 1 },
      clusters: { total: 3, by_phase: { Running: 3 } },
      secrets: { total: 3, synced: 2, failed: 1, by_phase: { Synced: 2, Failed: 1 } },
      // No host cluster here: the manager-API counts are real zeros (test/kubeop-operator-flow counts them live).
      projects: { total: 0, by_phase: {} },
      apps: { total: 0, by_phase: {}, by_registry: {}, available_replicas: 0 },
      deliveries: { rolled_out: 0, hooks: { succeeded: 0, failed: 0, running: 0, pending: 0 } },
      events: { delivered: 0, pending: 0, failed: 0 },
    })
  })

  test('analytics: API requests of the last 24 hours by status class', async () => {
    const before = (await asAdmin('/v1/analytics/summary')).body.api_requests
    assert.equal(before.window_hours, 24)
    assert.equal(before.since, '2026-04-05T13:00:00Z', 'the current hour and the 23 before it')
    assert.ok(before.by_status_class['2xx'] > 10, 'the setup above made many successful calls')
    assert.equal((await s.request('GET', '/api/v1/tenants/acme/nothing-here', { token: acme })).status, 404)
    assert.equal((await s.request('GET', '/api/v1/tenants/acme')).status, 401)
    assert.equal((await s.request('GET', '/healthz')).status, 200) // a probe, not API traffic
    const counted = await eventually(async () => {
      const now = (await asAdmin('/v1/analytics/summary')).body.api_requests
      return now.by_status_class['4xx'] === before.by_status_class['4xx'] + 2 ? now : undefined
    }, 5_000, '4xx counted')
    assert.equal(counted.by_status_class['5xx'], 0)
    assert.ok(counted.by_status_class['2xx'] > before.by_status_class['2xx'])
    assert.equal(counted.total, Object.values(counted.by_status_class as Record<string, number>).reduce((a, b) => a + b, 0))

    clock.advance(24 * 3600_000) // a day later every one of those hours has left the window
    const later = (await asAdmin('/v1/analytics/summary')).body.api_requests
    assert.equal(later.since, '2026-04-06T13:00:00Z')
    assert.deepEqual([later.by_status_class['4xx'], later.by_status_class['5xx']], [0, 0])
  })
})
