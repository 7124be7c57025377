import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TerminalProviderError } from '../src/providers/errors.js'
import type { ClusterProvider } from '../src/providers/types.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

type Condition = { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
const ready = (r: TestResponse): Condition => r.body.status.conditions.find((c: Condition) => c.type === 'Ready')

/**
 * The cluster controller (spec §5.2 lifecycle) against the simulated provider, slowed to one
 * second per step so that intermediate phases can be observed, plus faults injected into the
 * provider and a server stopped and restarted mid-provisioning.
 */
describe('cluster lifecycle', () => {
  let s: TestServer
  let key: string
  let provider: ClusterProvider
  before(async () => {
    s = await startTestServer({ overrides: { simulatedStepSeconds: '1' } })
    key = (await s.createTenant('life', { plan: 'enterprise' })).key
    provider = s.server.container.provider
  })
  after(() => s.stop())

  const path = (name: string) => `/api/v1/tenants/life/clusters/${name}`
  const get = (name: string) => s.request('GET', path(name), { token: key })
  const patch = (name: string, body: unknown, headers?: Record<string, string>) => s.request('PATCH', path(name), { token: key, body, headers })
  const create = (body: Record<string, unknown>) => s.request('POST', '/api/v1/tenants/life/clusters', { token: key, body })
  const phase = (name: string, want: string, extra: (r: TestResponse) => boolean = () => true) =>
    eventually(async () => {
      const r = await get(name)
      return r.body?.status?.phase === want && extra(r) ? r : undefined
    }, 20_000, `${name} ${want}`)
  const settled = (name: string) => phase(name, 'Running', (r) => r.body.status.observedGeneration === r.body.generation)

  /** Replaces one provider method for clusters named `name`; returns the restore function. */
  function inject<K extends 'provision' | 'upgrade' | 'enableHighAvailability' | 'health'>(method: K, name: string, fake: ClusterProvider[K]): () => void {
    const original = provider[method]
    const mutable = provider as { staticHealth?: boolean }
    const staticHealth = mutable.staticHealth
    // A health check that can fail makes this a provider whose health a resync must look at.
    if (method === 'health') mutable.staticHealth = false
    provider[method] = (async (c: Parameters<ClusterProvider[K]>[0], now: Date) =>
      c.name === name ? (fake as (c: unknown, now: Date) => unknown)(c, now) : (original as (c: unknown, now: Date) => unknown)(c, now)) as ClusterProvider[K]
    return () => {
      provider[method] = original
      mutable.staticHealth = staticHealth
    }
  }

  test('Pending → Provisioning → Running; Ready moves its lastTransitionTime only when its status flips', async () => {
    const created = await create({ name: 'alpha' })
    assert.equal(created.body.status.phase, 'Pending')
    const provisioning = await phase('alpha', 'Provisioning')
    assert.deepEqual([ready(provisioning).status, ready(provisioning).reason], ['False', 'Provisioning'])
    assert.equal(ready(provisioning).lastTransitionTime, ready(created).lastTransitionTime)
    assert.equal(provisioning.body.status.observedGeneration, 0)
    const running = await settled('alpha')
    assert.deepEqual([ready(running).status, ready(running).reason], ['True', 'Running'])
    assert.ok(ready(running).lastTransitionTime > ready(created).lastTransitionTime)
    assert.equal(running.body.status.kubernetesVersion, 'v1.33.0')
  })

  test('a version change upgrades: Upgrading at once, no second upgrade meanwhile, then Running on the new release', async () => {
    assert.equal((await create({ name: 'bravo', version: '1.31' })).status, 201)
    const before = await settled('bravo')
    assert.equal(before.body.status.kubernetesVersion, 'v1.31.0')
    const up = await patch('bravo', { version: '1.32' })
    assert.equal(up.status, 200, up.text)
    assert.equal(up.body.version, '1.32')
    assert.equal(up.body.generation, before.body.generation + 1)
    assert.equal(up.body.status.phase, 'Upgrading')
    assert.deepEqual([ready(up).status, ready(up).reason], ['True', 'Upgrading'])
    assert.equal(ready(up).lastTransitionTime, ready(before).lastTransitionTime)
    // While Upgrading: version rules first, then 409 for another version change; other changes are fine.
    assert.equal((await patch('bravo', { version: '1.31' })).body.code, 'CLUSTER_VERSION_DOWNGRADE')
    const again = await patch('bravo', { version: '1.33' })
    assert.deepEqual([again.status, again.body], [409, { error: 'Cluster upgrade in progress' }])
    const resized = await patch('bravo', { resources: { cpu: '2' } })
    assert.equal(resized.status, 200)
    assert.equal(resized.body.status.phase, 'Upgrading')
    const done = await settled('bravo')
    assert.equal(done.body.status.kubernetesVersion, 'v1.32.0')
    assert.equal(done.body.status.observedGeneration, before.body.generation + 2)
    assert.equal((await patch('bravo', { version: '1.33' })).status, 200)
    assert.equal((await settled('bravo')).body.status.kubernetesVersion, 'v1.33.0')
  })

  test('resource and alert changes keep a Running cluster Running and complete by observedGeneration', async () => {
    assert.equal((await create({ name: 'charlie' })).status, 201)
    const before = await settled('charlie')
    const changed = await patch('charlie', { resources: { memory: '4Gi' }, alerts: { x: 1 } })
    assert.equal(changed.body.generation, before.body.generation + 1)
    assert.equal(changed.body.status.phase, 'Running')
    assert.equal(changed.body.status.observedGeneration, before.body.generation)
    const done = await settled('charlie')
    assert.equal(done.body.status.observedGeneration, before.body.generation + 1)
    assert.equal(ready(done).lastTransitionTime, ready(before).lastTransitionTime)
  })

  test('Deleting: visible at once, a second DELETE changes nothing, writes and the name are refused until gone', async () => {
    assert.equal((await create({ name: 'delta' })).status, 201)
    await settled('delta')
    assert.equal((await s.request('DELETE', path('delta'), { token: key })).status, 204)
    const deleting = await get('delta')
    assert.equal(deleting.body.status.phase, 'Deleting')
    assert.deepEqual([ready(deleting).status, ready(deleting).reason], ['False', 'Deleting'])
    const second = await s.request('DELETE', path('delta'), { token: key })
    assert.equal(second.status, 204)
    assert.equal((await get('delta')).body.resourceVersion, deleting.body.resourceVersion)
    const etag = deleting.headers.get('etag')!
    assert.equal((await patch('delta', { alerts: null }, { 'if-match': '"1"' })).status, 412)
    const busy = await patch('delta', { alerts: { a: 1 } }, { 'if-match': etag })
    assert.deepEqual([busy.status, busy.body], [409, { error: 'Cluster is being deleted' }])
    const taken = await create({ name: 'delta' })
    assert.deepEqual([taken.status, taken.body], [409, { error: 'Cluster name already exists' }])
    const tenant = await s.request('GET', '/api/v1/tenants/life', { token: key })
    assert.ok(tenant.body.status.clusterCount >= 1)
    await eventually(async () => ((await get('delta')).status === 404 ? true : undefined), 20_000, 'delta gone')
    assert.equal((await create({ name: 'delta' })).status, 201)
  })

  test('a terminal provisioning failure is Failed for that generation; a spec change provisions again', async () => {
    let calls = 0
    const restore = inject('provision', 'echo', async () => {
      calls++
      throw new TerminalProviderError('no capacity left in the region')
    })
    try {
      assert.equal((await create({ name: 'echo' })).status, 201)
      const failed = await phase('echo', 'Failed')
      assert.deepEqual([ready(failed).status, ready(failed).reason, ready(failed).message], ['False', 'ProvisioningFailed', 'no capacity left in the region'])
      const seen = calls
      // Two more resyncs (1 s each) look at it and leave it alone.
      const other = await create({ name: 'echo-witness' })
      assert.equal(other.status, 201)
      await settled('echo-witness')
      assert.equal(calls, seen, 'no retries for a Failed generation')
      assert.equal((await get('echo')).body.status.phase, 'Failed')
    } finally {
      restore()
    }
    const retried = await patch('echo', { resources: { cpu: '2' } })
    assert.equal(retried.status, 200)
    assert.equal(retried.body.status.phase, 'Provisioning')
    const running = await settled('echo')
    assert.equal(running.body.status.observedGeneration, 2)
  })

  test('transient provider errors are recorded in Ready and retried with backoff', async () => {
    let calls = 0
    const restore = inject('provision', 'foxtrot', async () => {
      calls++
      throw new Error('backend briefly unreachable')
    })
    try {
      assert.equal((await create({ name: 'foxtrot' })).status, 201)
      const retrying = await phase('foxtrot', 'Provisioning', (r) => ready(r).message.includes('backend briefly unreachable'))
      assert.equal(ready(retrying).message, 'Retrying after an error: backend briefly unreachable')
      await eventually(async () => (calls >= 2 ? true : undefined), 10_000, 'a retry')
    } finally {
      restore()
    }
    const running = await settled('foxtrot')
    assert.equal(ready(running).message, 'Control plane is serving')
  })

  test('failing health checks make a Running cluster Degraded until they pass again', async () => {
    assert.equal((await create({ name: 'golf' })).status, 201)
    await settled('golf')
    const restore = inject('health', 'golf', async () => ({ healthy: false, message: 'API server does not answer', replicas: { ready: 0, desired: 1 } }))
    try {
      const degraded = await phase('golf', 'Degraded')
      assert.deepEqual([ready(degraded).status, ready(degraded).reason, ready(degraded).message], ['False', 'HealthCheckFailed', 'API server does not answer'])
      const conn = await s.request('GET', `${path('golf')}/kubeconfig`, { token: key })
      assert.equal(conn.status, 200, 'a Degraded cluster still has connection details')
    } finally {
      restore()
    }
    const back = await settled('golf')
    assert.equal(ready(back).status, 'True')
  })

  test('a failed upgrade leaves the cluster Degraded/UpgradeFailed on its old release until the spec changes', async () => {
    assert.equal((await create({ name: 'hotel', version: '1.31' })).status, 201)
    await settled('hotel')
    const restore = inject('upgrade', 'hotel', async () => {
      throw new TerminalProviderError('etcd snapshot failed')
    })
    try {
      assert.equal((await patch('hotel', { version: '1.32' })).status, 200)
      const degraded = await phase('hotel', 'Degraded')
      assert.deepEqual([ready(degraded).reason, ready(degraded).message], ['UpgradeFailed', 'etcd snapshot failed'])
      assert.equal(degraded.body.status.kubernetesVersion, 'v1.31.0')
    } finally {
      restore()
    }
    assert.equal((await patch('hotel', { alerts: { retry: true } })).status, 200)
    const done = await settled('hotel')
    assert.equal(done.body.status.kubernetesVersion, 'v1.32.0')
  })

  const ha = (r: TestResponse): Condition => r.body.status.conditions.find((c: Condition) => c.type === 'HighAvailability')

  test('enabling high availability: Migrating with the replicas counted as they come, a version change refused meanwhile, then Running 3/3', async () => {
    assert.equal((await create({ name: 'india', version: '1.32' })).status, 201)
    const before = await settled('india')
    const r = await patch('india', { highAvailability: true }, { 'if-match': before.headers.get('etag')! })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.status.phase, 'Migrating')
    assert.deepEqual([ready(r).status, ready(r).reason], ['True', 'Migrating'], 'the control plane keeps serving')
    const migrating = await phase('india', 'Migrating', (g) => g.body.status.haReplicasReady === 1 && ha(g).message.includes('1/3'))
    assert.deepEqual([migrating.body.status.haPhase, migrating.body.status.haConfigured, migrating.body.status.observedGeneration], ['migrating', false, before.body.generation])
    assert.deepEqual([ha(migrating).status, ha(migrating).reason, ha(migrating).message], ['False', 'Migrating', 'Enabling high availability: 1/3 control-plane replicas ready'])
    assert.equal((await s.request('GET', `${path('india')}/kubeconfig`, { token: key })).status, 200, 'connection details while Migrating')
    const refused = await patch('india', { version: '1.33' })
    assert.deepEqual([refused.status, refused.body], [409, { error: 'High availability migration in progress' }])
    const done = await settled('india')
    assert.deepEqual([done.body.status.haPhase, done.body.status.haReplicasReady, done.body.status.haReplicasDesired, done.body.status.haConfigured], ['ha-healthy', 3, 3, true])
    assert.ok(done.body.status.haEnabledAt >= migrating.body.status.conditions.find((c: Condition) => c.type === 'Ready').lastTransitionTime)
    assert.equal(done.body.status.observedGeneration, r.body.generation)
  })

  test('a migration that fails for good leaves the cluster Degraded on the replica it had, until the spec changes', async () => {
    assert.equal((await create({ name: 'juliet' })).status, 201)
    await settled('juliet')
    const restore = inject('enableHighAvailability', 'juliet', async () => {
      throw new TerminalProviderError('no room for more replicas')
    })
    try {
      assert.equal((await patch('juliet', { highAvailability: true })).status, 200)
      const degraded = await phase('juliet', 'Degraded')
      assert.deepEqual([ready(degraded).reason, ready(degraded).message], ['HighAvailabilityFailed', 'no room for more replicas'])
      assert.deepEqual([degraded.body.status.haPhase, degraded.body.status.haConfigured], ['pending', false])
    } finally {
      restore()
    }
    assert.equal((await patch('juliet', { alerts: { retry: true } })).status, 200)
    assert.equal((await settled('juliet')).body.status.haPhase, 'ha-healthy')
  })

  test('disabling high availability is refused with its code, whatever else the PATCH holds', async () => {
    assert.equal((await create({ name: 'kilo', highAvailability: true })).status, 201)
    const r = await patch('kilo', { highAvailability: false, resources: { cpu: '2' } })
    assert.equal(r.status, 400)
    assert.deepEqual([r.body.code, r.body.field], ['HA_DISABLE_UNSUPPORTED', 'spec.highAvailability'])
  })
})

describe('cluster controller crash and resume', () => {
  test('a server stopped while a cluster is Provisioning resumes it after restart on the same data', async () => {
    const first = await startTestServer({ persistent: true, overrides: { simulatedStepSeconds: '2' } })
    let second: TestServer | undefined
    try {
      const { key } = await first.createTenant('phoenix')
      const get = (srv: TestServer, name: string) => srv.request('GET', `/api/v1/tenants/phoenix/clusters/${name}`, { token: key })
      // "old" is Deleting and "web" Provisioning when the server stops.
      await first.request('POST', '/api/v1/tenants/phoenix/clusters', { token: key, body: { name: 'old' } })
      await eventually(async () => ((await get(first, 'old')).body.status.phase === 'Running' ? true : undefined))
      assert.equal((await first.request('DELETE', '/api/v1/tenants/phoenix/clusters/old', { token: key })).status, 204)
      const created = await first.request('POST', '/api/v1/tenants/phoenix/clusters', { token: key, body: { name: 'web' } })
      assert.equal(created.status, 201)
      await eventually(async () => ((await get(first, 'web')).body.status.phase === 'Provisioning' ? true : undefined))
      assert.equal((await get(first, 'old')).body.status.phase, 'Deleting')
      await first.server.stop()

      second = await startTestServer({
        reuse: { dataDir: first.dataDir, adminToken: first.adminToken, databaseUrl: first.databaseUrl },
        overrides: { simulatedStepSeconds: '2' },
      })
      const s2 = second
      const running = await eventually(async () => {
        const r = await get(s2, 'web')
        return r.body.status.phase === 'Running' ? r : undefined
      }, 20_000, 'Running after restart')
      assert.equal(running.body.status.observedGeneration, 1)
      assert.equal(running.body.createdAt, created.body.createdAt)
      await eventually(async () => ((await get(s2, 'old')).status === 404 ? true : undefined), 20_000, 'deletion finished after restart')
      const conn = await s2.request('GET', '/api/v1/tenants/phoenix/clusters/web/kubeconfig', { token: key })
      assert.equal(conn.status, 200)
      assert.match(Buffer.from(conn.body.certificateAuthority, 'base64').toString(), /^-----BEGIN CERTIFICATE-----/)
    } finally {
      if (second) await second.stop()
      else await first.stop()
    }
  })
})
