import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { listAllocations } from '../src/store/allocations.js'
import { findTenantByName } from '../src/store/tenants.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

/** Clusters API (spec §5.2, §6.2) over real HTTP, with the simulated provider (0.3 s per step). */
describe('clusters', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer()
  })
  after(() => s.stop())

  const path = (t: string, name?: string) => `/api/v1/tenants/${t}/clusters${name === undefined ? '' : `/${name}`}`
  const create = (t: string, key: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    s.request('POST', path(t), { token: key, body, headers })
  const get = (t: string, key: string, name: string, headers?: Record<string, string>) =>
    s.request('GET', path(t, name), { token: key, headers })
  const patch = (t: string, key: string, name: string, body: unknown, headers?: Record<string, string>) =>
    s.request('PATCH', path(t, name), { token: key, body, headers })
  const del = (t: string, key: string, name: string, headers?: Record<string, string>) =>
    s.request('DELETE', path(t, name), { token: key, headers })
  const expectError = (r: TestResponse, status: number, body: Record<string, unknown>) => {
    assert.equal(r.status, status, r.text)
    assert.deepEqual(r.body, body)
  }
  const coded = (code: string, message: string, field?: string) => ({
    error: message, code, severity: 'error', message, ...(field ? { field } : {}),
  })
  const running = (t: string, key: string, name: string) =>
    eventually(async () => {
      const r = await get(t, key, name)
      return r.body?.status?.phase === 'Running' && r.body.status.observedGeneration === r.body.generation ? r : undefined
    }, 15_000, `${name} Running`)
  const gone = (t: string, key: string, name: string) =>
    eventually(async () => ((await get(t, key, name)).status === 404 ? true : undefined), 15_000, `${name} gone`)

  test('create answers 201 Pending with generation 1, warnings and an ETag; the controller brings it to Running', async () => {
    const { key } = await s.createTenant('acme')
    const r = await create('acme', key, { name: 'production' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.headers.get('etag'), `"${r.body.resourceVersion}"`)
    assert.match(r.body.resourceVersion, /^\d+$/)
    const { createdAt, resourceVersion, status, ...spec } = r.body
    assert.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.deepEqual(spec, {
      name: 'production', displayName: 'production', type: 'shared', version: '1.33', highAvailability: false,
      generation: 1, warnings: [],
    })
    assert.equal(status.phase, 'Pending')
    assert.equal(status.observedGeneration, 0)
    assert.equal(status.kubernetesVersion, undefined)
    assert.equal(status.endpoint, undefined)
    assert.deepEqual(status.conditions, [
      { type: 'Ready', status: 'False', reason: 'Pending', message: 'Waiting to be provisioned', lastTransitionTime: createdAt },
      { type: 'Simulated', status: 'True', reason: 'SimulatedProvider', message: 'This cluster is simulated: no real control plane runs', lastTransitionTime: createdAt },
    ])

    const ready = await running('acme', key, 'production')
    assert.equal(ready.body.status.kubernetesVersion, 'v1.33.0')
    assert.match(ready.body.status.endpoint, /^https:\/\//)
    assert.equal(ready.body.status.observedGeneration, 1)
    const cond = ready.body.status.conditions.find((c: { type: string }) => c.type === 'Ready')
    assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'Running', 'Control plane is serving'])
    assert.ok(ready.body.status.conditions.some((c: { type: string }) => c.type === 'Simulated'))
    assert.ok(BigInt(ready.body.resourceVersion) > BigInt(resourceVersion), 'status changes move the resourceVersion')
    assert.ok(!('warnings' in ready.body))
  })

  test('a Running cluster that nothing changes keeps its resourceVersion across controller resyncs', async () => {
    const { key } = await s.createTenant('steady')
    await create('steady', key, { name: 'web' })
    const first = await running('steady', key, 'web')
    // Count health checks (one per reconcile of a Running cluster) to know the controller looked again.
    const provider = s.server.container.provider as typeof s.server.container.provider & { staticHealth?: boolean }
    const health = provider.health
    const staticHealth = provider.staticHealth
    let checks = 0
    // A provider whose health is checked: resyncs look at Running clusters (decision 0024).
    provider.staticHealth = false
    provider.health = async (c) => {
      if (c.name === 'web') checks++
      return health(c)
    }
    try {
      await eventually(async () => (checks >= 2 ? true : undefined), 10_000, 'two resyncs')
    } finally {
      provider.health = health
      provider.staticHealth = staticHealth
    }
    const later = await get('steady', key, 'web')
    assert.equal(later.body.resourceVersion, first.body.resourceVersion)
    assert.deepEqual(later.body.status, first.body.status)
    const notModified = await get('steady', key, 'web', { 'if-none-match': first.headers.get('etag')! })
    assert.equal(notModified.status, 304)
  })

  test('fields are echoed as sent; the oldest supported version carries VERSION_RETIRING', async () => {
    const { key } = await s.createTenant('echo', { plan: 'business' })
    const r = await create('echo', key, {
      name: 'db', displayName: 'Databases', type: 'dedicated', version: '1.31', highAvailability: true,
      resources: { cpu: '1500m', memory: '3.5Gi' }, alerts: { podCrashLooping: { enabled: true, threshold: 3 } },
    })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.displayName, 'Databases')
    assert.equal(r.body.type, 'dedicated')
    assert.equal(r.body.highAvailability, true)
    assert.deepEqual(r.body.resources, { cpu: '1500m', memory: '3.5Gi' })
    assert.deepEqual(r.body.alerts, { podCrashLooping: { enabled: true, threshold: 3 } })
    assert.deepEqual(r.body.warnings, [{
      code: 'VERSION_RETIRING', severity: 'warning', field: 'spec.version',
      message: 'Kubernetes version "1.31" is the oldest supported version and will be retired',
    }])
    const g = await get('echo', key, 'db')
    assert.deepEqual(g.body.resources, { cpu: '1500m', memory: '3.5Gi' })
    const empty = await create('echo', key, { name: 'empty', resources: {}, alerts: {} })
    assert.ok(!('resources' in empty.body) && !('alerts' in empty.body), 'empty resources and alerts are omitted')
  })

  test('create errors come in the documented order', async () => {
    const { key } = await s.createTenant('order', { plan: 'starter' })
    assert.equal((await create('order', key, { name: 'one' })).status, 201)
    // name exists beats an unsupported version
    expectError(await create('order', key, { name: 'one', version: '1.20' }), 409, { error: 'Cluster name already exists' })
    // unsupported version beats dedicated
    expectError(await create('order', key, { name: 'two', version: '1.20', type: 'dedicated' }), 400,
      coded('CLUSTER_VERSION_UNSUPPORTED', 'Kubernetes version "1.20" is not supported (supported: 1.31, 1.32, 1.33)', 'spec.version'))
    // dedicated beats the pool
    expectError(await create('order', key, { name: 'two', type: 'dedicated', resources: { cpu: '100' } }), 400,
      coded('CLUSTER_DEDICATED_UNSUPPORTED', 'Dedicated clusters are not available on plan "starter"', 'spec.type'))
    // the pool: 1 (default) + 4 = 5 of 4 cores
    expectError(await create('order', key, { name: 'two', resources: { cpu: '4' } }), 400,
      coded('RESOURCE_POOL_EXCEEDED', "Cluster resources exceed the plan's resource pool (cpu: 5 of 4)", 'spec.resources'))
    assert.equal((await create('order', key, { name: 'two' })).status, 201)
    // the cluster limit beats the pool
    expectError(await create('order', key, { name: 'three', resources: { cpu: '100' } }), 400,
      coded('PLAN_CLUSTER_LIMIT', 'Plan "starter" allows at most 2 clusters'))
  })

  test('the pool counts explicit and default allocations of every existing cluster', async () => {
    const { key } = await s.createTenant('pool')
    assert.equal((await create('pool', key, { name: 'big', resources: { cpu: '6', memory: '28Gi' } })).status, 201)
    assert.equal((await create('pool', key, { name: 'small' })).status, 201) // cpu 1, memory 2Gi by default
    expectError(await create('pool', key, { name: 'more', resources: { cpu: '2' } }), 400,
      coded('RESOURCE_POOL_EXCEEDED', "Cluster resources exceed the plan's resource pool (cpu: 9 of 8)", 'spec.resources'))
    expectError(await create('pool', key, { name: 'more', resources: { cpu: '1', memory: '2.5Gi' } }), 400,
      coded('RESOURCE_POOL_EXCEEDED', "Cluster resources exceed the plan's resource pool (memory: 32.5 of 32)", 'spec.resources'))
    const fits = await create('pool', key, { name: 'more', resources: { cpu: '1000m', memory: '2Gi' } })
    assert.equal(fits.status, 201)
    const tenant = await s.request('GET', '/api/v1/tenants/pool', { token: key })
    assert.equal(tenant.body.status.clusterCount, 3)
    assert.deepEqual(tenant.body.status.allocatedResources, { cpu: '8', memory: '32', storage: '30' })
  })

  test('bodies are validated strictly with spec.-prefixed fields', async () => {
    const { key } = await s.createTenant('strict')
    expectError(await create('strict', key, { name: 'web', color: 'red' }), 400, coded('UNKNOWN_FIELD', 'Unknown field "color"', 'spec.color'))
    expectError(await create('strict', key, { name: 'web', resources: { gpu: '1' } }), 400,
      coded('UNKNOWN_FIELD', 'Unknown field "resources.gpu"', 'spec.resources.gpu'))
    expectError(await create('strict', key, { name: 'web', status: { phase: 'Running' } }), 400, coded('UNKNOWN_FIELD', 'Unknown field "status"', 'spec.status'))
    expectError(await create('strict', key, { displayName: 'x' }), 400, coded('REQUIRED_FIELD', 'Missing required field "name"', 'spec.name'))
    const badCpu = await create('strict', key, { name: 'web', resources: { cpu: '0' } })
    assert.deepEqual([badCpu.status, badCpu.body.code, badCpu.body.field], [400, 'INVALID_FIELD', 'spec.resources.cpu'])
    const tooMuch = await create('strict', key, { name: 'web', resources: { memory: '2Pi' } })
    assert.deepEqual([tooMuch.body.code, tooMuch.body.field], ['INVALID_FIELD', 'spec.resources.memory'])
    // E is exa, not an exponent without digits: 1E cores is far over the limit.
    const exa = await create('strict', key, { name: 'web', resources: { cpu: '1E' } })
    assert.deepEqual([exa.body.code, exa.body.field], ['INVALID_FIELD', 'spec.resources.cpu'])
    const roomy = await s.createTenant('exbi', { plan: 'pro' })
    const exbi = await create('exbi', roomy.key, { name: 'web', resources: { storage: '0.00000001Ei' } }) // ~10.7 GiB
    assert.equal(exbi.status, 201, exbi.text)
    assert.equal(exbi.body.resources.storage, '0.00000001Ei')
    const badName = await create('strict', key, { name: 'Web' })
    assert.deepEqual([badName.body.code, badName.body.field], ['INVALID_FIELD', 'spec.name'])
    const badVersion = await create('strict', key, { name: 'web', version: 'v1.32' })
    assert.deepEqual([badVersion.body.code, badVersion.body.field], ['INVALID_FIELD', 'spec.version'])
    const badType = await create('strict', key, { name: 'web', type: 'huge' })
    assert.deepEqual([badType.body.code, badType.body.field], ['INVALID_FIELD', 'spec.type'])
    const bigAlerts = await create('strict', key, { name: 'web', alerts: { blob: 'x'.repeat(16_400) } })
    assert.deepEqual([bigAlerts.body.code, bigAlerts.body.field], ['INVALID_FIELD', 'spec.alerts'])
    // Anything goes inside alerts, at any depth.
    assert.equal((await create('strict', key, { name: 'web', alerts: { any: { deep: ['thing', 1, null] } } })).status, 201)
  })

  test('list is ordered by name, pages with limit/continue and has no warnings', async () => {
    const { key } = await s.createTenant('lister')
    for (const name of ['charlie', 'alpha', 'bravo']) assert.equal((await create('lister', key, { name })).status, 201)
    const all = await s.request('GET', path('lister'), { token: key })
    assert.deepEqual(all.body.items.map((c: { name: string }) => c.name), ['alpha', 'bravo', 'charlie'])
    assert.deepEqual(Object.keys(all.body), ['items'])
    assert.ok(all.body.items.every((c: object) => !('warnings' in c)))
    const first = await s.request('GET', `${path('lister')}?limit=2`, { token: key })
    assert.deepEqual(first.body.items.map((c: { name: string }) => c.name), ['alpha', 'bravo'])
    assert.equal(typeof first.body.continue, 'string')
    const second = await s.request('GET', `${path('lister')}?limit=2&continue=${first.body.continue}`, { token: key })
    assert.deepEqual(second.body.items.map((c: { name: string }) => c.name), ['charlie'])
    assert.ok(!('continue' in second.body))
    expectError(await s.request('GET', `${path('lister')}?limit=0`, { token: key }), 400, { error: 'Invalid limit' })
    expectError(await s.request('GET', `${path('lister')}?continue=bogus`, { token: key }), 400, { error: 'Invalid continue token' })
    const foreignToken = Buffer.from(JSON.stringify({ l: 'clusters:other', k: ['alpha'] })).toString('base64url')
    expectError(await s.request('GET', `${path('lister')}?continue=${foreignToken}`, { token: key }), 400, { error: 'Invalid continue token' })
    const empty = await s.createTenant('nothing')
    assert.deepEqual((await s.request('GET', path('nothing'), { token: empty.key })).body, { items: [] })
  })

  test('get: invalid name before lookup, 404 when absent, 304 on a matching If-None-Match', async () => {
    const { key } = await s.createTenant('getter')
    expectError(await get('getter', key, 'X'), 400, { error: 'Invalid name' })
    expectError(await get('getter', key, 'a'), 400, { error: 'Invalid name' })
    expectError(await get('getter', key, 'nope'), 404, { error: 'Cluster not found' })
    const c = await create('getter', key, { name: 'web' })
    const etag = c.headers.get('etag')!
    const g = await running('getter', key, 'web')
    const current = g.headers.get('etag')!
    assert.notEqual(current, etag, 'status changes gave the cluster a new ETag')
    const nm = await get('getter', key, 'web', { 'if-none-match': `W/${current}, "1"` })
    assert.equal(nm.status, 304)
    assert.equal(nm.headers.get('etag'), current)
    assert.equal(nm.text, '')
    const stale = await get('getter', key, 'web', { 'if-none-match': etag })
    assert.equal(stale.status, 200)
    assert.equal(stale.body.status.phase, 'Running')
  })

  test('readonly keys read but never write; other tenants and missing credentials are refused', async () => {
    const { key } = await s.createTenant('roles')
    const ro = await s.createKey('roles', key, 'readonly')
    assert.equal((await create('roles', key, { name: 'web' })).status, 201)
    assert.equal((await s.request('GET', path('roles'), { token: ro.key })).status, 200)
    assert.equal((await get('roles', ro.key, 'web')).status, 200)
    expectError(await create('roles', ro.key, { name: 'other' }), 403, { error: 'Admin access required' })
    expectError(await patch('roles', ro.key, 'web', { alerts: null }), 403, { error: 'Admin access required' })
    expectError(await del('roles', ro.key, 'web'), 403, { error: 'Admin access required' })
    const other = await s.createTenant('others')
    expectError(await get('roles', other.key, 'web'), 403, { error: 'Not a member of this tenant' })
    expectError(await s.request('GET', path('roles')), 401, { error: 'Missing or invalid authentication' })
  })

  test('a suspended tenant reads clusters but cannot write them', async () => {
    const { key } = await s.createTenant('frozen')
    assert.equal((await create('frozen', key, { name: 'web' })).status, 201)
    await s.request('POST', '/api/v1/admin/tenants/frozen/suspend', { token: s.adminToken })
    assert.equal((await get('frozen', key, 'web')).status, 200)
    expectError(await create('frozen', key, { name: 'new' }), 403, { error: 'Tenant suspended' })
    expectError(await patch('frozen', key, 'web', { alerts: null }), 403, { error: 'Tenant suspended' })
    expectError(await del('frozen', key, 'web'), 403, { error: 'Tenant suspended' })
    await s.request('POST', '/api/v1/admin/tenants/frozen/resume', { token: s.adminToken })
  })

  describe('patch', () => {
    let key: string
    before(async () => {
      key = (await s.createTenant('patcher', { plan: 'business' })).key
      assert.equal((await create('patcher', key, { name: 'web', version: '1.32', resources: { cpu: '2', memory: '4Gi' } })).status, 201)
      assert.equal((await create('patcher', key, { name: 'ha', highAvailability: true })).status, 201)
    })

    test('immutable fields and an empty body are body errors, before lookup and If-Match', async () => {
      expectError(await patch('patcher', key, 'web', { name: 'other' }, { 'if-match': '"1"' }), 400,
        coded('IMMUTABLE_FIELD', 'Field "name" cannot be changed', 'spec.name'))
      expectError(await patch('patcher', key, 'missing', { displayName: 'x' }), 400,
        coded('IMMUTABLE_FIELD', 'Field "displayName" cannot be changed', 'spec.displayName'))
      expectError(await patch('patcher', key, 'web', { type: 'shared', version: '1.32' }), 400,
        coded('IMMUTABLE_FIELD', 'Field "type" cannot be changed', 'spec.type'))
      expectError(await patch('patcher', key, 'web', {}), 400,
        coded('REQUIRED_FIELD', 'At least one of version, resources, alerts, highAvailability is required'))
      expectError(await patch('patcher', key, 'web', { version: null }), 400,
        coded('INVALID_FIELD', 'Invalid value for "version": must be string', 'spec.version'))
      expectError(await patch('patcher', key, 'web', { resources: null }), 400,
        coded('INVALID_FIELD', 'Invalid value for "resources": must be object', 'spec.resources'))
      expectError(await patch('patcher', key, 'web', { resources: { cpu: 'lots' } }), 400,
        coded('INVALID_FIELD', 'Invalid value for "resources.cpu": must be a CPU quantity greater than zero and at most 10000 cores', 'spec.resources.cpu'))
      expectError(await patch('patcher', key, 'Bad_Name', { name: 'x' }), 400, { error: 'Invalid name' })
    })

    test('404 before 412, 412 before every state rule', async () => {
      expectError(await patch('patcher', key, 'missing', { version: '1.33' }, { 'if-match': '"1"' }), 404, { error: 'Cluster not found' })
      expectError(await patch('patcher', key, 'web', { version: '1.20' }, { 'if-match': '"1"' }), 412, { error: 'ETag mismatch' })
      expectError(await patch('patcher', key, 'ha', { highAvailability: false }, { 'if-match': '"1"' }), 412, { error: 'ETag mismatch' })
    })

    test('high availability cannot be disabled; asking for what is already true changes nothing', async () => {
      expectError(await patch('patcher', key, 'ha', { highAvailability: false }), 400,
        coded('HA_DISABLE_UNSUPPORTED', 'High availability cannot be disabled', 'spec.highAvailability'))
      const before = await running('patcher', key, 'ha')
      const same = await patch('patcher', key, 'ha', { highAvailability: true })
      assert.equal(same.status, 200)
      assert.equal(same.headers.get('etag'), before.headers.get('etag'))
      assert.equal(same.body.generation, before.body.generation)
    })

    test('version rules: unsupported, downgrade, one minor at a time; the current version is a no-op', async () => {
      // HA is checked before the version.
      expectError(await patch('patcher', key, 'ha', { highAvailability: false, version: '1.20' }), 400,
        coded('HA_DISABLE_UNSUPPORTED', 'High availability cannot be disabled', 'spec.highAvailability'))
      expectError(await patch('patcher', key, 'web', { version: '1.34' }), 400,
        coded('CLUSTER_VERSION_UNSUPPORTED', 'Kubernetes version "1.34" is not supported (supported: 1.31, 1.32, 1.33)', 'spec.version'))
      expectError(await patch('patcher', key, 'web', { version: '1.31' }), 400,
        coded('CLUSTER_VERSION_DOWNGRADE', 'Kubernetes version cannot be downgraded from 1.32 to 1.31', 'spec.version'))
      expectError(await patch('patcher', key, 'ha', { version: '1.32' }), 400,
        coded('CLUSTER_VERSION_DOWNGRADE', 'Kubernetes version cannot be downgraded from 1.33 to 1.32', 'spec.version'))
      const skip = await create('patcher', key, { name: 'old', version: '1.31' })
      assert.equal(skip.status, 201)
      expectError(await patch('patcher', key, 'old', { version: '1.33' }), 400,
        coded('CLUSTER_UPGRADE_SKIP', 'Kubernetes upgrades must go one minor version at a time (1.31 to 1.32)', 'spec.version'))
      const before = await running('patcher', key, 'web')
      const noop = await patch('patcher', key, 'web', { version: '1.32' })
      assert.equal(noop.status, 200)
      assert.equal(noop.body.resourceVersion, before.body.resourceVersion)
      assert.equal(noop.body.generation, before.body.generation)
    })

    test('resources merge per field: a value replaces, null clears, {} clears all; generation counts changes', async () => {
      const start = await running('patcher', key, 'web')
      const gen = start.body.generation as number
      const grow = await patch('patcher', key, 'web', { resources: { storage: '20Gi', cpu: '3' } })
      assert.equal(grow.status, 200, grow.text)
      assert.deepEqual(grow.body.resources, { cpu: '3', memory: '4Gi', storage: '20Gi' })
      assert.equal(grow.body.generation, gen + 1)
      assert.equal(grow.headers.get('etag'), `"${grow.body.resourceVersion}"`)
      assert.ok(BigInt(grow.body.resourceVersion) > BigInt(start.body.resourceVersion))
      assert.equal(grow.body.status.phase, 'Running', 'resource changes keep the phase')
      const cleared = await patch('patcher', key, 'web', { resources: { cpu: null } }, { 'content-type': 'application/merge-patch+json' })
      assert.equal(cleared.status, 200, cleared.text)
      assert.deepEqual(cleared.body.resources, { memory: '4Gi', storage: '20Gi' })
      assert.equal(cleared.body.generation, gen + 2)
      const settled = await running('patcher', key, 'web')
      const same = await patch('patcher', key, 'web', { resources: { memory: '4Gi' } })
      assert.equal(same.body.resourceVersion, settled.body.resourceVersion, 'a PATCH that changes nothing keeps the resourceVersion')
      assert.equal(same.body.generation, gen + 2)
      const all = await patch('patcher', key, 'web', { resources: {} })
      assert.ok(!('resources' in all.body))
      assert.equal(all.body.generation, gen + 3)
      const done = await running('patcher', key, 'web')
      assert.equal(done.body.status.observedGeneration, gen + 3)
    })

    test('alerts replace as a whole; {} or null clear them; clearing nothing changes nothing', async () => {
      const set = await patch('patcher', key, 'web', { alerts: { podCrashLooping: { enabled: true }, level: 'high' } })
      assert.deepEqual(set.body.alerts, { podCrashLooping: { enabled: true }, level: 'high' })
      const settled = await running('patcher', key, 'web')
      const again = await patch('patcher', key, 'web', { alerts: { level: 'high', podCrashLooping: { enabled: true } } })
      assert.equal(again.body.resourceVersion, settled.body.resourceVersion, 'the same object in another key order is no change')
      assert.equal(again.body.generation, set.body.generation)
      const replaced = await patch('patcher', key, 'web', { alerts: { nodeDown: {} } })
      assert.deepEqual(replaced.body.alerts, { nodeDown: {} })
      assert.equal(replaced.body.generation, set.body.generation + 1)
      const cleared = await patch('patcher', key, 'web', { alerts: {} })
      assert.ok(!('alerts' in cleared.body))
      assert.equal(cleared.body.generation, set.body.generation + 2)
      const settledAgain = await running('patcher', key, 'web')
      const nothing = await patch('patcher', key, 'web', { alerts: null })
      assert.equal(nothing.status, 200)
      assert.equal(nothing.body.generation, cleared.body.generation)
      assert.equal(nothing.body.resourceVersion, settledAgain.body.resourceVersion)
    })

    test('If-Match with the current ETag (any accepted form) lets the write through with a new ETag', async () => {
      const cur = await running('patcher', key, 'web')
      const rv = cur.body.resourceVersion as string
      const ok = await patch('patcher', key, 'web', { alerts: { a: 1 } }, { 'if-match': `"0", W/"${rv}"` })
      assert.equal(ok.status, 200, ok.text)
      assert.notEqual(ok.headers.get('etag'), cur.headers.get('etag'))
      expectError(await patch('patcher', key, 'web', { alerts: { a: 2 } }, { 'if-match': rv }), 412, { error: 'ETag mismatch' })
      assert.equal((await patch('patcher', key, 'web', { alerts: { a: 2 } }, { 'if-match': '*' })).status, 200)
    })

    test('growing past the pool fails; shrinking never does, even over the pool', async () => {
      const { key: k } = await s.createTenant('grower')
      assert.equal((await create('grower', k, { name: 'aa', resources: { cpu: '6' } })).status, 201)
      assert.equal((await create('grower', k, { name: 'bb' })).status, 201)
      expectError(await patch('grower', k, 'aa', { resources: { cpu: '7.5' } }), 400,
        coded('RESOURCE_POOL_EXCEEDED', "Cluster resources exceed the plan's resource pool (cpu: 8.5 of 8)", 'spec.resources'))
      assert.equal((await patch('grower', k, 'aa', { resources: { cpu: '7' } })).status, 200)
      // The operator moves the tenant to a smaller plan behind the API's back: 8 cores on a pool of 4.
      await s.server.container.db.updateTable('tenants').set({ plan: 'starter' }).where('name', '=', 'grower').execute()
      const shrink = await patch('grower', k, 'aa', { resources: { cpu: '6', storage: '20Gi' } })
      assert.equal(shrink.status, 200, 'shrinking cpu and growing storage within its pool is allowed')
      expectError(await patch('grower', k, 'aa', { resources: { cpu: '6500m' } }), 400,
        coded('RESOURCE_POOL_EXCEEDED', "Cluster resources exceed the plan's resource pool (cpu: 7.5 of 4)", 'spec.resources'))
    })
  })

  test('delete: Deleting at once, then gone; the name is reusable only then', async () => {
    const { key } = await s.createTenant('deleter')
    assert.equal((await create('deleter', key, { name: 'web' })).status, 201)
    const cur = await running('deleter', key, 'web')
    expectError(await del('deleter', key, 'missing'), 404, { error: 'Cluster not found' })
    expectError(await del('deleter', key, 'web', { 'if-match': '"1"' }), 412, { error: 'ETag mismatch' })
    expectError(await del('deleter', key, 'Nope'), 400, { error: 'Invalid name' })
    const d = await del('deleter', key, 'web', { 'if-match': cur.headers.get('etag')! })
    assert.equal(d.status, 204)
    assert.equal(d.text, '')
    const during = await get('deleter', key, 'web')
    if (during.status === 200) {
      assert.equal(during.body.status.phase, 'Deleting')
      const ready = during.body.status.conditions.find((c: { type: string }) => c.type === 'Ready')
      assert.deepEqual([ready.status, ready.reason], ['False', 'Deleting'])
    } else assert.equal(during.status, 404)
    await gone('deleter', key, 'web')
    expectError(await del('deleter', key, 'web'), 404, { error: 'Cluster not found' })
    const again = await create('deleter', key, { name: 'web' })
    assert.equal(again.status, 201)
    assert.equal(again.body.generation, 1)
  })

  test('metering: one interval per effective allocation, moved at the same instant, closed when the cluster is gone', async () => {
    const { key } = await s.createTenant('meter')
    const tenant = (await findTenantByName(s.server.container.db, 'meter'))!
    const c = await create('meter', key, { name: 'web', highAvailability: true })
    let rows = await listAllocations(s.server.container.db, tenant.id)
    assert.equal(rows.length, 1)
    assert.deepEqual(
      [rows[0]!.cluster_name, rows[0]!.cpu_millis, rows[0]!.memory_bytes, rows[0]!.storage_bytes, rows[0]!.high_availability, rows[0]!.end_at],
      ['web', '1000', String(2 * 2 ** 30), String(10 * 2 ** 30), true, null],
    )
    assert.equal(rows[0]!.start_at.toISOString().slice(0, 19), c.body.createdAt.slice(0, 19))

    await patch('meter', key, 'web', { resources: { cpu: '2500m', memory: '1.5Gi' } })
    rows = await listAllocations(s.server.container.db, tenant.id)
    assert.equal(rows.length, 2)
    assert.ok(rows[0]!.end_at)
    assert.equal(rows[0]!.end_at!.getTime(), rows[1]!.start_at.getTime())
    assert.deepEqual([rows[1]!.cpu_millis, rows[1]!.memory_bytes, rows[1]!.end_at], ['2500', String(1.5 * 2 ** 30), null])

    // Same effective allocation spelled differently, and alerts: no new interval.
    const respelled = await patch('meter', key, 'web', { resources: { cpu: '2.5' }, alerts: { x: true } })
    assert.deepEqual(respelled.body.resources, { cpu: '2.5', memory: '1.5Gi' })
    assert.equal((await listAllocations(s.server.container.db, tenant.id)).length, 2)

    // Back to the default: a new interval with the default amount.
    await patch('meter', key, 'web', { resources: { cpu: null } })
    rows = await listAllocations(s.server.container.db, tenant.id)
    assert.equal(rows.length, 3)
    assert.equal(rows[2]!.cpu_millis, '1000')

    await del('meter', key, 'web')
    assert.equal((await listAllocations(s.server.container.db, tenant.id)).filter((r) => r.end_at === null).length, 1, 'billing runs until gone')
    await gone('meter', key, 'web')
    rows = await listAllocations(s.server.container.db, tenant.id)
    assert.equal(rows.length, 3, 'intervals are never deleted')
    assert.ok(rows.every((r) => r.end_at !== null))
    assert.ok(rows[2]!.end_at!.getTime() >= rows[2]!.start_at.getTime())
  })

  /**
   * The Kupe CLI (github.com/kupecloud/kupe-cli) and the Kupe Terraform provider as they are
   * (decisions 0019, 0020): their requests replayed byte for byte as their public source builds
   * them (internal/client/client.go: Bearer key, Accept JSON, its User-Agent, Content-Type JSON
   * with a body, If-Match with the ETag of its pre-flight GET), and what they read from the answers.
   */
  describe('clients as they are', () => {
    let key: string
    before(async () => {
      key = (await s.createTenant('clients', { plan: 'business' })).key
    })
    const cli = async (method: string, p: string, body?: unknown, etag = '', token = key) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'kupe-cli/1.4.0' }
      if (body !== undefined) headers['content-type'] = 'application/json'
      if (etag) headers['if-match'] = etag
      const res = await fetch(`${s.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await res.text()
      return { status: res.status, etag: res.headers.get('etag') ?? '', body: text ? JSON.parse(text) : undefined }
    }
    const T = '/api/v1/tenants/clients/clusters'

    test('kupe cluster kubeconfig NAME: GET …/connection-details answers what …/kubeconfig does, errors included', async () => {
      assert.equal((await cli('POST', T, { name: 'web', displayName: 'web', type: 'shared', resources: { cpu: '1', memory: '2Gi', storage: '10Gi' } })).status, 201)
      // Right after creation the cluster does not serve yet: both 503, what the CLI maps to "not yet ready".
      const early = [await cli('GET', `${T}/web/connection-details`), await cli('GET', `${T}/web/kubeconfig`)]
      if (early[1]!.status === 503) assert.deepEqual(early[0], early[1])
      await running('clients', key, 'web')
      const details = await cli('GET', `${T}/web/connection-details`)
      assert.equal(details.status, 200)
      assert.deepEqual(Object.keys(details.body).sort(), ['certificateAuthority', 'endpoint'])
      assert.match(Buffer.from(details.body.certificateAuthority, 'base64').toString(), /^-----BEGIN CERTIFICATE-----/)
      assert.deepEqual(details.body, (await cli('GET', `${T}/web/kubeconfig`)).body)
      const { key: readonly } = await s.createKey('clients', key, 'readonly')
      assert.deepEqual((await cli('GET', `${T}/web/connection-details`, undefined, '', readonly)).body, details.body, 'any member reads it')
      const other = (await s.createTenant('strangers')).key
      for (const [name, token] of [['missing', key], ['Bad_Name', key], ['web', other], ['web', 'kupe_nope']] as const) {
        const a = await cli('GET', `${T}/${name}/connection-details`, undefined, '', token)
        const b = await cli('GET', `${T}/${name}/kubeconfig`, undefined, '', token)
        assert.ok(a.status >= 400, `${name}: ${a.status}`)
        assert.deepEqual([a.status, a.body], [b.status, b.body], name)
      }
      assert.equal((await cli('GET', `${T}/missing/connection-details`)).body.error, 'Cluster not found')
    })

    test('the Terraform provider\'s PATCH with "version": "" leaves the version unchanged', async () => {
      const before = await running('clients', key, 'web')
      const alone = await cli('PATCH', `${T}/web`, { version: '' }, before.headers.get('etag')!)
      assert.equal(alone.status, 200, JSON.stringify(alone.body))
      assert.equal(alone.body.resourceVersion, before.body.resourceVersion, 'nothing to change: nothing written')
      // What the provider sends when a configuration without `version` changes its resources.
      const r = await cli('PATCH', `${T}/web`, { version: '', resources: { cpu: '2' } }, alone.etag)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.version, before.body.version)
      assert.deepEqual(r.body.resources, { cpu: '2', memory: '2Gi', storage: '10Gi' })
      assert.equal(r.body.generation, before.body.generation + 1)
      assert.equal(r.body.status.phase, 'Running', 'no upgrade starts')
      const bad = await cli('PATCH', `${T}/web`, { version: 'latest' })
      assert.equal(bad.status, 400)
      assert.equal(bad.body.code, 'INVALID_FIELD')
    })

    test('kupe cluster update NAME --enable-ha: an in-place migration, Migrating then Running with 3/3 replicas; HA billing starts then', async () => {
      const tenant = (await findTenantByName(s.server.container.db, 'clients'))!
      const pre = await running('clients', key, 'web')
      assert.equal(pre.body.highAvailability, false)
      for (const f of ['haConfigured', 'haEnabledAt', 'haPhase', 'haReplicasReady', 'haReplicasDesired']) assert.equal(f in pre.body.status, false, `no ${f} without HA`)
      // Pre-flight GET, PATCH with its ETag; on 412 the CLI's UpdateClusterRMW: GET and PATCH again.
      let r = await cli('PATCH', `${T}/web`, { highAvailability: true }, (await cli('GET', `${T}/web`)).etag)
      for (let attempt = 0; attempt < 2 && r.status === 412; attempt++) r = await cli('PATCH', `${T}/web`, { highAvailability: true }, (await cli('GET', `${T}/web`)).etag)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.highAvailability, true)
      assert.equal(r.body.generation, pre.body.generation + 1)
      assert.equal(r.body.status.phase, 'Migrating')
      assert.deepEqual([r.body.status.haPhase, r.body.status.haConfigured, r.body.status.haReplicasReady, r.body.status.haReplicasDesired], ['migrating', false, 1, 3])
      const ha = r.body.status.conditions.find((c: { type: string }) => c.type === 'HighAvailability')
      assert.deepEqual([ha.status, ha.reason], ['False', 'Migrating'])
      // `--wait`: until Running at the PATCH's generation (the CLI's waitForUpdateConverged).
      const done = await eventually(async () => {
        const g = await cli('GET', `${T}/web`)
        return g.body.status.phase === 'Running' && g.body.status.observedGeneration >= r.body.generation ? g : undefined
      }, 15_000, 'migration done')
      const st = done.body.status
      assert.deepEqual([st.haPhase, st.haConfigured, st.haReplicasReady, st.haReplicasDesired], ['ha-healthy', true, 3, 3])
      assert.match(st.haEnabledAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      const cond = st.conditions.find((c: { type: string }) => c.type === 'HighAvailability')
      assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'ReplicasReady', '3/3 control-plane replicas ready'])
      assert.equal(st.endpoint, pre.body.status.endpoint, 'the endpoint stays')
      const rows = (await listAllocations(s.server.container.db, tenant.id)).filter((a) => a.cluster_name === 'web')
      const open = rows.filter((a) => a.end_at === null)
      assert.equal(open.length, 1)
      assert.equal(open[0]!.high_availability, true)
      assert.equal(open[0]!.start_at.toISOString().slice(0, 19), st.haEnabledAt.slice(0, 19), 'HA billing from 3/3 ready')
      assert.ok(rows.filter((a) => a.end_at !== null).every((a) => !a.high_availability), 'no HA billing before')
      // Asking again is a no-op; --disable-ha is refused with its code; a stale ETag is 412.
      const again = await cli('PATCH', `${T}/web`, { highAvailability: true }, done.etag)
      assert.deepEqual([again.status, again.body.resourceVersion], [200, done.body.resourceVersion])
      const off = await cli('PATCH', `${T}/web`, { highAvailability: false }, done.etag)
      assert.deepEqual([off.status, off.body.code], [400, 'HA_DISABLE_UNSUPPORTED'])
      assert.equal((await cli('PATCH', `${T}/web`, { highAvailability: true }, '"1"')).status, 412)
    })

    test('HA enabled before the first Running: provisioning starts the replicas, and HA billing starts when they are ready', async () => {
      const tenant = (await findTenantByName(s.server.container.db, 'clients'))!
      const c = await cli('POST', T, { name: 'early', displayName: 'early', type: 'shared' })
      const r = await cli('PATCH', `${T}/early`, { highAvailability: true }, c.etag)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.notEqual(r.body.status.phase, 'Migrating', 'nothing runs yet: no migration')
      assert.equal(r.body.status.haPhase, 'pending')
      const st = (await running('clients', key, 'early')).body.status
      assert.deepEqual([st.haPhase, st.haConfigured, st.haReplicasReady], ['ha-healthy', true, 3])
      const open = (await listAllocations(s.server.container.db, tenant.id)).filter((a) => a.cluster_name === 'early' && a.end_at === null)
      assert.deepEqual([open.length, open[0]!.high_availability], [1, true])
      assert.equal(open[0]!.start_at.toISOString().slice(0, 19), st.haEnabledAt.slice(0, 19))
    })

    test('kupe cluster create --ha: pending with 0/3, then ha-healthy 3/3 once Running', async () => {
      const c = await cli('POST', T, { name: 'db', displayName: 'db', type: 'shared', highAvailability: true, resources: { cpu: '1', memory: '2Gi', storage: '10Gi' } })
      assert.equal(c.status, 201)
      assert.deepEqual([c.body.status.haPhase, c.body.status.haConfigured, c.body.status.haReplicasReady, c.body.status.haReplicasDesired], ['pending', false, 0, 3])
      const st = (await running('clients', key, 'db')).body.status
      assert.deepEqual([st.haPhase, st.haConfigured, st.haReplicasReady, st.haReplicasDesired], ['ha-healthy', true, 3, 3])
      assert.ok(st.haEnabledAt)
    })
  })
})
