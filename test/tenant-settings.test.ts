import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestServer, type TestServer } from './helpers/server.js'

const coded = (code: string, message: string, field?: string) => ({
  error: message, code, severity: 'error', message, ...(field ? { field } : {}),
})

describe('tenant settings (spec §5.1)', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer()
  })
  after(() => s.stop())

  const patch = (tenant: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    s.request('PATCH', `/api/v1/tenants/${tenant}`, { token, body, headers })
  const get = (tenant: string, token: string) => s.request('GET', `/api/v1/tenants/${tenant}`, { token })
  const createCluster = async (tenant: string, token: string, body: Record<string, unknown>) => {
    const r = await s.request('POST', `/api/v1/tenants/${tenant}/clusters`, { token, body })
    assert.equal(r.status, 201, r.text)
  }

  test('a PATCH needs an admin, at least one field, only known fields and a known plan', async () => {
    const { key } = await s.createTenant('acme')
    const ro = await s.createKey('acme', key, 'readonly')
    assert.deepEqual((await patch('acme', ro.key, { plan: 'business' })).body, { error: 'Admin access required' })
    const empty = await patch('acme', key, {})
    assert.equal(empty.status, 400)
    assert.deepEqual(empty.body, coded('REQUIRED_FIELD', 'At least one of plan, enforceMetricsLimit, enforceLogLimit is required'))
    assert.deepEqual((await patch('acme', key, { plan: 'pro', displayName: 'Acme' })).body, coded('UNKNOWN_FIELD', 'Unknown field "displayName"', 'displayName'))
    const unknownPlan = await patch('acme', key, { plan: 'platinum' })
    assert.equal(unknownPlan.status, 400)
    assert.equal(unknownPlan.body.code, 'INVALID_FIELD')
    assert.equal(unknownPlan.body.field, 'plan')
    assert.match(unknownPlan.body.error, /^Invalid value for "plan": /)
    const notBool = await patch('acme', key, { enforceLogLimit: 'no' })
    assert.deepEqual([notBool.body.code, notBool.body.field], ['INVALID_FIELD', 'enforceLogLimit'])
    assert.equal((await get('acme', key)).body.plan, 'pro', 'nothing changed')
  })

  test('setting the current values is a no-op: 200, same resourceVersion and ETag', async () => {
    const { key } = await s.createTenant('initech')
    const before = await get('initech', key)
    const r = await patch('initech', key, { plan: 'pro', enforceMetricsLimit: true, enforceLogLimit: true })
    assert.equal(r.status, 200)
    assert.equal(r.body.resourceVersion, before.body.resourceVersion)
    assert.equal(r.headers.get('etag'), before.headers.get('etag'))
  })

  test('a change answers with the new ETag; If-Match must match the tenant ETag in any accepted form', async () => {
    const { key } = await s.createTenant('globex')
    const rv0 = (await get('globex', key)).body.resourceVersion as string
    const stale = await patch('globex', key, { enforceLogLimit: false }, { 'if-match': '"1"' })
    assert.deepEqual([stale.status, stale.body], [412, { error: 'ETag mismatch' }])
    assert.equal((await get('globex', key)).body.enforceLogLimit, true, 'a 412 changes nothing')

    const r1 = await patch('globex', key, { enforceLogLimit: false }, { 'if-match': `"${rv0}"` })
    assert.equal(r1.status, 200)
    assert.equal(r1.body.enforceLogLimit, false)
    assert.notEqual(r1.body.resourceVersion, rv0)
    assert.ok(BigInt(r1.body.resourceVersion) > BigInt(rv0))
    assert.equal(r1.headers.get('etag'), `"${r1.body.resourceVersion}"`)
    const rv1 = r1.body.resourceVersion as string

    const weak = await patch('globex', key, { enforceMetricsLimit: false }, { 'if-match': `W/"${rv1}"`, 'content-type': 'application/merge-patch+json' })
    assert.equal(weak.status, 200)
    const listed = await patch('globex', key, { enforceMetricsLimit: true }, { 'if-match': `"1", ${weak.body.resourceVersion}` })
    assert.equal(listed.status, 200)
    assert.equal((await patch('globex', key, { enforceLogLimit: true }, { 'if-match': '*' })).status, 200)
    const after = await get('globex', key)
    assert.deepEqual([after.body.enforceMetricsLimit, after.body.enforceLogLimit], [true, true])
    assert.equal(after.headers.get('etag'), `"${after.body.resourceVersion}"`)
  })

  test('a plan change applies its limits at once and is recorded for the prorated platform fee', async () => {
    const { key } = await s.createTenant('hooli', { plan: 'pro' })
    const before = await get('hooli', key)
    assert.equal(before.body.status.currentUsage.planChangedInPeriod, false)
    const r = await patch('hooli', key, { plan: 'business' })
    assert.equal(r.status, 200)
    assert.equal(r.body.plan, 'business')
    assert.deepEqual(r.body.status.poolResources, { cpu: '32', memory: '128', storage: '1000' })
    assert.equal(r.body.status.currentUsage.planChangedInPeriod, true)
    // The day of the change counts for the new plan: a tenant created today pays only Business.
    const month = new Date().toISOString().slice(0, 7)
    const draft = await s.request('GET', `/api/v1/tenants/hooli/invoices/${month}`, { token: key })
    assert.deepEqual(draft.body.status.lineItems.filter((l: { kind: string }) => l.kind === 'platformFee').map((l: { description: string }) => l.description), ['Business plan'])
    // Dedicated clusters are allowed from now on.
    await createCluster('hooli', key, { name: 'db', type: 'dedicated' })
  })

  test('PLAN_LIMITS_EXCEEDED when existing clusters exceed the target plan; nothing changes', async () => {
    const { key } = await s.createTenant('umbrella', { plan: 'pro' })
    for (const name of ['one', 'two', 'three']) await createCluster('umbrella', key, { name })
    const before = await get('umbrella', key)
    const r = await patch('umbrella', key, { plan: 'starter' })
    assert.equal(r.status, 400)
    assert.deepEqual(r.body, coded('PLAN_LIMITS_EXCEEDED', 'Current clusters exceed the limits of plan "starter"', 'plan'))
    const after = await get('umbrella', key)
    assert.deepEqual([after.body.plan, after.body.resourceVersion], ['pro', before.body.resourceVersion])
    assert.equal(after.body.status.currentUsage.planChangedInPeriod, false)
  })

  test('PLAN_LIMITS_EXCEEDED when allocations exceed the target pool; a plan without a pool accepts them', async () => {
    const { key } = await s.createTenant('soylent', { plan: 'pro' })
    // 3 CPU explicit + 1 CPU default allocation = 4 cores: fits starter's 4; memory 6Gi + 2Gi default = 8 fits too.
    await createCluster('soylent', key, { name: 'big', resources: { cpu: '3', memory: '6Gi' } })
    await createCluster('soylent', key, { name: 'small' })
    assert.equal((await patch('soylent', key, { plan: 'starter' })).status, 200, 'exactly the pool is within it')
    assert.equal((await patch('soylent', key, { plan: 'pro' })).status, 200)
    const grow = await s.request('PATCH', '/api/v1/tenants/soylent/clusters/big', { token: key, body: { resources: { storage: '41Gi' } } })
    assert.equal(grow.status, 200, grow.text)
    // storage is now 41 + 10 (default) = 51 GiB > starter's 50.
    assert.equal((await patch('soylent', key, { plan: 'starter' })).body.code, 'PLAN_LIMITS_EXCEEDED')
    assert.equal((await patch('soylent', key, { plan: 'enterprise' })).status, 200)
  })

  test('PLAN_LIMITS_EXCEEDED for a dedicated cluster on a plan without dedicated clusters; 412 comes first', async () => {
    const { key } = await s.createTenant('tyrell', { plan: 'business' })
    await createCluster('tyrell', key, { name: 'dedicated-one', type: 'dedicated' })
    const rv = (await get('tyrell', key)).body.resourceVersion
    assert.equal((await patch('tyrell', key, { plan: 'pro' }, { 'if-match': '"1"' })).status, 412)
    const r = await patch('tyrell', key, { plan: 'pro' }, { 'if-match': `"${rv}"` })
    assert.deepEqual(r.body, coded('PLAN_LIMITS_EXCEEDED', 'Current clusters exceed the limits of plan "pro"', 'plan'))
    assert.equal((await patch('tyrell', key, { plan: 'enterprise' })).status, 200)
  })

  test('usage in status is computed on read and never moves the tenant resourceVersion', async () => {
    const { key } = await s.createTenant('wonka', { plan: 'pro' })
    const before = await get('wonka', key)
    await createCluster('wonka', key, { name: 'web', resources: { cpu: '2' } })
    const after = await get('wonka', key)
    assert.equal(after.body.resourceVersion, before.body.resourceVersion)
    assert.equal(after.headers.get('etag'), before.headers.get('etag'))
    assert.equal(after.body.status.clusterCount, 1)
    const usage = after.body.status.currentUsage
    assert.equal(usage.stale, false)
    assert.equal(usage.currency, 'GBP')
    assert.match(usage.periodStart, /^\d{4}-\d{2}-01T00:00:00Z$/)
    assert.match(usage.periodEnd, /T23:59:59Z$/)
    assert.match(usage.compute.cpuCoreHours, /^\d+\.\d{2}$/)
    // The platform fee (49.00 prorated from today) is in the estimate; compute has barely started.
    assert.ok(Number(usage.estimatedSubtotal) > 0)
    const ifNoneMatch = await s.request('GET', '/api/v1/tenants/wonka', { token: key, headers: { 'if-none-match': before.headers.get('etag')! } })
    assert.equal(ifNoneMatch.status, 304)
  })
})
