import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { loadConfig } from '../src/config.js'
import { draftInvoice } from '../src/domain/invoices/invoice-service.js'
import { tenantView } from '../src/domain/tenants/tenant-view.js'
import { ManualClock } from '../src/lib/clock.js'
import { toRfc3339 } from '../src/lib/time.js'
import { ReadCache } from '../src/store/read-cache.js'
import { findTenantByName } from '../src/store/tenants.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { eventually } from './helpers/eventually.js'

// Every authenticated read route is answered from the read cache (decision 0008). What a client
// must never see: an answer that misses a write made before it. Each test reads (so the answer is
// cached), writes through the API or the store, and reads again. The tenant object is also
// checked whole against one computed from the database alone at the same instant of the
// hand-moved clock, so any stale part of it — members, clusters, plan, usage estimate — fails.

const REFRESH_SECONDS = 60
const month = (d: Date) => d.toISOString().slice(0, 7)

describe('read after write: every cached read shows the write before it', () => {
  const clock = new ManualClock(new Date('2026-06-10T12:00:00Z'))
  let s: TestServer
  let admin: string
  let tenantId: string
  const t = '/api/v1/tenants/acme'

  async function get(path: string, token = admin): Promise<any> {
    const r = await s.request('GET', path, { token })
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`)
    return r.body
  }
  async function send(method: string, path: string, body?: unknown, token = admin, expected = [200, 201, 204]): Promise<any> {
    const merge = method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : undefined
    const r = await s.request(method, path, { token, body, headers: merge })
    assert.ok(expected.includes(r.status), `${method} ${path}: ${r.status} ${r.text}`)
    return r.body
  }
  /** Deps whose read cache never serves nor keeps anything: every figure comes from the database. */
  const uncached = () => ({ ...s.server.container, readCache: new ReadCache({ enabled: false }) })
  /** GET /tenants/acme, which must equal the tenant computed from the database alone, now. */
  async function tenantRead(): Promise<any> {
    const body = await get(t)
    assert.deepEqual(body, await tenantView(uncached(), tenantId), 'the GET equals a fresh computation')
    return body
  }
  /** Reads twice first, so that what the write must drop is in the cache. */
  async function cachedTenant(): Promise<any> {
    await get(t)
    return get(t)
  }
  async function untilRunning(name: string): Promise<void> {
    await eventually(async () => {
      clock.advance(500) // the simulated backend's steps run on this clock
      return (await get(`${t}/clusters/${name}`)).status.phase === 'Running' ? true : undefined
    }, 20_000, `${name} Running`)
  }
  async function hits(): Promise<number> {
    const text = (await s.request('GET', '/metrics')).text
    return Number(/^kupe_read_cache_lookups_total\{result="hit"\} (\S+)$/m.exec(text)?.[1] ?? 0)
  }

  before(async () => {
    s = await startTestServer({ clock, overrides: { usageRefreshSeconds: String(REFRESH_SECONDS) } })
    admin = (await s.createTenant('acme', { plan: 'pro' })).key
    tenantId = (await findTenantByName(s.server.container.db, 'acme'))!.id
    await send('POST', `${t}/clusters`, { name: 'web', resources: { cpu: '2', memory: '4Gi', storage: '20Gi' } })
    await untilRunning('web')
  })
  after(() => s.stop())

  test('repeated reads are answered from the cache', async () => {
    await get(t)
    const before = await hits()
    for (let i = 0; i < 5; i++) await get(t)
    assert.ok((await hits()) - before >= 10, 'the key and the tenant object came from the cache')
  })

  test('the usage estimate is kept one refresh interval on the server clock, then computed again', async () => {
    const first = await tenantRead()
    assert.equal(first.status.currentUsage.updatedAt, toRfc3339(clock.now()))
    clock.advance((REFRESH_SECONDS - 1) * 1000)
    const within = await get(t)
    assert.deepEqual(within.status.currentUsage, first.status.currentUsage, 'served as computed; updatedAt says when')
    assert.equal(within.status.currentUsage.stale, false)
    clock.advance(1000)
    const next = await tenantRead()
    assert.equal(next.status.currentUsage.updatedAt, toRfc3339(clock.now()))
    assert.notEqual(next.status.currentUsage.compute.cpuCoreHours, first.status.currentUsage.compute.cpuCoreHours, '60 s of 2 CPUs more')
    assert.equal(next.resourceVersion, first.resourceVersion, 'a refresh never moves the resourceVersion')
  })

  test('a write inside the refresh interval drops the estimate at once', async () => {
    await cachedTenant()
    clock.advance(10_000)
    const before = await get(t)
    await send('POST', '/api/v1/admin/tenants/acme/credits', { amount: '5.00', reason: 'goodwill' }, s.adminToken)
    const after = await tenantRead()
    assert.equal(after.status.currentUsage.updatedAt, toRfc3339(clock.now()))
    assert.notEqual(after.status.currentUsage.estimatedCreditsApplied, before.status.currentUsage.estimatedCreditsApplied)
  })

  test('plan and settings changes: the tenant, its usage estimate and the Draft invoice', async () => {
    await cachedTenant()
    const draftBefore = await get(`${t}/invoices/${month(clock.now())}`)
    await send('PATCH', t, { plan: 'business' })
    const changed = await tenantRead()
    assert.equal(changed.plan, 'business')
    assert.equal(changed.status.currentUsage.planChangedInPeriod, true)
    assert.deepEqual(changed.status.poolResources, { cpu: '32', memory: '128', storage: '1000' })
    const draft = await get(`${t}/invoices/${month(clock.now())}`)
    assert.notDeepEqual(draft.status.lineItems, draftBefore.status.lineItems, 'the Business fee is on the Draft')
    // The Draft carries the server's version at the moment it was computed; the rest must match.
    const fresh = (await draftInvoice(uncached(), tenantId))!
    assert.deepEqual({ ...draft, resourceVersion: undefined }, { ...fresh, resourceVersion: undefined })
    assert.equal(draft.status.total, changed.status.currentUsage.estimatedTotal, 'one estimate for both')

    await cachedTenant()
    await send('PATCH', t, { enforceLogLimit: false })
    assert.equal((await tenantRead()).enforceLogLimit, false)
  })

  test('usage ingest shows in the estimate and the kubeOP invoice', async () => {
    await cachedTenant()
    const kubeopBefore = await get(`/v1/invoices/acme`, s.adminToken)
    const hour = new Date(clock.now().getTime() - 3_600_000).toISOString()
    // 250 GB of logs against Business's 200: overage, which this tenant now allows.
    await send('POST', '/v1/usage/ingest', { samples: [{ tenant: 'acme', hour, activeSeries: 123_456, logBytes: 250_000_000_000 }] }, s.adminToken)
    const after = await tenantRead()
    assert.deepEqual([after.status.currentUsage.observability.currentActiveSeries, after.status.currentUsage.observability.logOverageCost], [123_456, '15.00'])
    const kubeop = await get('/v1/invoices/acme', s.adminToken)
    assert.notEqual(kubeop.total, kubeopBefore.total)
    assert.equal(kubeop.total, after.status.currentUsage.estimatedTotal)
    assert.ok(kubeop.lines.some((l: { kind: string }) => l.kind === 'logOverage'))
  })

  test('members: the tenant object and the member list', async () => {
    await cachedTenant()
    await get(`${t}/members`)
    await send('POST', `${t}/members`, { email: 'dev@acme.example.com', role: 'readonly' })
    assert.ok((await tenantRead()).members.some((m: { email: string }) => m.email === 'dev@acme.example.com'))
    assert.deepEqual((await get(`${t}/members`)).items.find((m: { email: string }) => m.email === 'dev@acme.example.com'), { email: 'dev@acme.example.com', role: 'readonly' })
    await send('PATCH', `${t}/members/dev@acme.example.com`, { role: 'admin' })
    assert.equal((await get(`${t}/members`)).items.find((m: { email: string }) => m.email === 'dev@acme.example.com').role, 'admin')
    assert.equal((await tenantRead()).members.find((m: { email: string }) => m.email === 'dev@acme.example.com').role, 'admin')
    await send('DELETE', `${t}/members/dev@acme.example.com`)
    assert.equal((await get(`${t}/members`)).items.some((m: { email: string }) => m.email === 'dev@acme.example.com'), false)
    assert.equal((await tenantRead()).members.length, 1)
  })

  test('clusters: create, resize and delete show in the tenant, the list and the cluster', async () => {
    await cachedTenant()
    await get(`${t}/clusters`)
    await send('POST', `${t}/clusters`, { name: 'batch', resources: { cpu: '1', memory: '2Gi', storage: '10Gi' } })
    assert.equal((await tenantRead()).status.clusterCount, 2)
    assert.deepEqual((await get(`${t}/clusters`)).items.map((c: { name: string }) => c.name), ['batch', 'web'])
    await untilRunning('batch')

    await cachedTenant()
    await get(`${t}/clusters`)
    await send('PATCH', `${t}/clusters/batch`, { resources: { cpu: '3' } })
    assert.equal((await tenantRead()).status.allocatedResources.cpu, '5')
    assert.equal((await get(`${t}/clusters`)).items[0].resources.cpu, '3')
    assert.equal((await get(`${t}/clusters/batch`)).resources.cpu, '3')
    // The estimate now bills the new allocation from this second on.
    clock.advance(3_600_000)
    await tenantRead()
    const cpuLine = (await get(`${t}/invoices/${month(clock.now())}`)).status.lineItems.find((l: { description: string }) => l.description === 'CPU, cluster batch')
    assert.ok(Number(cpuLine.quantity) >= 3, `an hour at 3 CPUs: ${cpuLine.quantity}`)

    await get(`${t}/clusters/batch/kubeconfig`)
    await send('DELETE', `${t}/clusters/batch`)
    assert.equal((await get(`${t}/clusters/batch`)).status.phase, 'Deleting')
    assert.equal((await get(`${t}/clusters`)).items[0].status.phase, 'Deleting')
    const conn = await s.request('GET', `${t}/clusters/batch/kubeconfig`, { token: admin })
    assert.deepEqual([conn.status, conn.body], [503, { error: 'Cluster is not yet ready' }], 'a deleting cluster has no connection')
    await eventually(async () => {
      clock.advance(500)
      return (await s.request('GET', `${t}/clusters/batch`, { token: admin })).status === 404 ? true : undefined
    }, 20_000, 'batch gone')
    assert.equal((await tenantRead()).status.clusterCount, 1)
    assert.deepEqual((await get(`${t}/clusters`)).items.map((c: { name: string }) => c.name), ['web'])
  })

  test('the catalogue: a write by any code path shows in /plans and in the tenant', async () => {
    await cachedTenant()
    await get('/api/v1/plans')
    await get('/api/v1/plans/business')
    const db = s.server.container.db
    await sql`UPDATE plans SET display_name = 'Business XL', resource_pool = ${JSON.stringify({ cpu: '64', memory: '256', storage: '2000' })} WHERE name = 'business'`.execute(db)
    try {
      assert.equal((await get('/api/v1/plans/business')).displayName, 'Business XL')
      assert.equal((await get('/api/v1/plans')).items.find((p: { name: string }) => p.name === 'business').displayName, 'Business XL')
      assert.deepEqual((await tenantRead()).status.poolResources, { cpu: '64', memory: '256', storage: '2000' })
    } finally {
      await sql`UPDATE plans SET display_name = 'Business', resource_pool = ${JSON.stringify({ cpu: '32', memory: '128', storage: '1000' })} WHERE name = 'business'`.execute(db)
    }
    assert.equal((await get('/api/v1/plans/business')).displayName, 'Business')
  })

  test('secrets and the vault: every write shows in the next read', async () => {
    await send('PUT', `${t}/vault/app/db`, { data: { password: 'one' } })
    assert.deepEqual((await get(`${t}/vault/app/db`)).data, { password: 'one' })
    await get(`${t}/vault`)
    await send('PUT', `${t}/vault/app/db`, { data: { password: 'two' } })
    const v2 = await get(`${t}/vault/app/db`)
    assert.deepEqual([v2.version, v2.data], [2, { password: 'two' }])
    assert.deepEqual((await get(`${t}/vault/app/db?version=1`)).data, { password: 'one' })
    assert.equal((await get(`${t}/vault`)).items.find((e: { path: string }) => e.path === 'app/db').version, 2)

    await get(`${t}/secrets`)
    await send('POST', `${t}/secrets`, { name: 'db', secretPath: 'app/db' })
    assert.equal((await get(`${t}/secrets/db`)).name, 'db')
    assert.deepEqual((await get(`${t}/secrets`)).items.map((x: { name: string }) => x.name), ['db'])
    await send('PATCH', `${t}/secrets/db`, { sync: [{ cluster: 'web', namespace: 'default' }] })
    assert.deepEqual((await get(`${t}/secrets/db`)).sync, [{ cluster: 'web', namespace: 'default' }])
    assert.deepEqual((await get(`${t}/secrets`)).items[0].sync, [{ cluster: 'web', namespace: 'default' }])
    await send('DELETE', `${t}/secrets/db`)
    assert.equal((await s.request('GET', `${t}/secrets/db`, { token: admin })).status, 404)
    assert.deepEqual((await get(`${t}/secrets`)).items, [])

    await send('DELETE', `${t}/vault/app/db`)
    const gone = await s.request('GET', `${t}/vault/app/db`, { token: admin })
    assert.deepEqual([gone.status, gone.body], [404, { error: 'Vault entry not found' }])
    assert.deepEqual((await get(`${t}/vault`)).items, [])
  })

  test('API keys and credentials: issue, revoke and expiry show in the next list', async () => {
    await get(`${t}/apikeys`)
    const key = await s.createKey('acme', admin, 'readonly')
    assert.ok((await get(`${t}/apikeys`)).items.some((k: { id: string }) => k.id === key.id))
    await get(t, key.key)
    await send('DELETE', `${t}/apikeys/${key.id}`)
    assert.equal((await get(`${t}/apikeys`)).items.some((k: { id: string }) => k.id === key.id), false)
    assert.equal((await s.request('GET', t, { token: key.key })).status, 401, 'the revoked key is refused')

    const path = `${t}/clusters/web/credentials`
    await get(path)
    const short = await send('POST', path, { ttlSeconds: 60 })
    const long = await send('POST', path, {})
    // Same second on this clock: ordered by id then.
    assert.deepEqual((await get(path)).items.map((c: { id: string }) => c.id), [short.id, long.id].sort())
    await send('DELETE', `${path}/${long.id}`)
    assert.deepEqual((await get(path)).items.map((c: { id: string }) => c.id), [short.id])
    clock.advance(60_000)
    assert.deepEqual((await get(path)).items, [], 'expired on the server clock')
  })

  test('invoices: a close, and moves on the closed invoice, show in the list and the get', async () => {
    // June has ended; within the billing controller's grace hour, so only this close closes it.
    clock.set(new Date('2026-07-01T00:30:00Z'))
    await get(`${t}/invoices`)
    const june = await s.request('GET', `${t}/invoices/2026-06`, { token: admin })
    assert.deepEqual([june.status, june.body], [404, { error: 'Invoice not found' }], 'no longer the open period, not closed yet')
    await send('POST', '/api/v1/admin/billing/close?period=2026-06', undefined, s.adminToken)
    assert.equal((await get(`${t}/invoices/2026-06`)).status.phase, 'Billed')
    assert.deepEqual((await get(`${t}/invoices`)).items.map((i: { name: string }) => i.name), ['2026-06'])
    await send('POST', '/api/v1/admin/tenants/acme/invoices/2026-06/paid', undefined, s.adminToken)
    assert.equal((await get(`${t}/invoices/2026-06`)).status.phase, 'Paid')
    assert.equal((await get(`${t}/invoices`)).items[0].status.phase, 'Paid')
    const july = await get(`${t}/invoices/2026-07`)
    assert.deepEqual([july.status.phase, july.billingPeriod.start], ['Draft', '2026-07-01T00:00:00Z'])
    assert.equal((await tenantRead()).status.currentUsage.periodStart, '2026-07-01T00:00:00Z')
  })

  test('platform admin reads: suspension and members show in the admin tenant get and list', async () => {
    await get('/api/v1/admin/tenants/acme', s.adminToken)
    await get('/api/v1/admin/tenants', s.adminToken)
    await cachedTenant()
    await send('POST', '/api/v1/admin/tenants/acme/suspend', undefined, s.adminToken)
    assert.equal((await get('/api/v1/admin/tenants/acme', s.adminToken)).status.phase, 'Suspended')
    assert.equal((await get('/api/v1/admin/tenants', s.adminToken)).items[0].status.phase, 'Suspended')
    assert.equal((await tenantRead()).status.phase, 'Suspended')
    await send('POST', '/api/v1/admin/tenants/acme/resume', undefined, s.adminToken)
    assert.equal((await get('/api/v1/admin/tenants/acme', s.adminToken)).status.phase, 'Active')
    assert.equal((await tenantRead()).status.phase, 'Active')
    const credits = await get('/api/v1/admin/tenants/acme/credits', s.adminToken)
    await send('POST', '/api/v1/admin/tenants/acme/credits', { amount: '1.00', reason: 'again' }, s.adminToken)
    assert.equal((await get('/api/v1/admin/tenants/acme/credits', s.adminToken)).items.length, credits.items.length + 1)
  })
})

describe('KUPE_USAGE_REFRESH_SECONDS', () => {
  test('is at most 300 (spec §6.1), 60 by default', () => {
    assert.equal(loadConfig({}, {}).usageRefreshSeconds, 60)
    assert.equal(loadConfig({}, { KUPE_USAGE_REFRESH_SECONDS: '300' }).usageRefreshSeconds, 300)
    assert.throws(() => loadConfig({}, { KUPE_USAGE_REFRESH_SECONDS: '301' }), /from 0 to 300/)
    assert.throws(() => loadConfig({}, { KUPE_USAGE_REFRESH_SECONDS: '1.5' }), /from 0 to 300/)
  })

  test('0 computes the estimate on every read', async () => {
    const clock = new ManualClock(new Date('2026-06-10T12:00:00Z'))
    const s = await startTestServer({ clock, overrides: { usageRefreshSeconds: '0' } })
    try {
      const { key } = await s.createTenant('zero')
      const read = async () => (await s.request('GET', '/api/v1/tenants/zero', { token: key })).body.status.currentUsage.updatedAt
      assert.equal(await read(), '2026-06-10T12:00:00Z')
      clock.advance(1000)
      assert.equal(await read(), '2026-06-10T12:00:01Z')
    } finally {
      await s.stop()
    }
  })
})
