import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// The read cache (docs/decisions/0008-read-cache.md) answers the hot path — API key, tenant,
// cluster — from memory. What a client must never notice: a stale answer after a write, on the
// server that took the write, at once; on another server sharing the PostgreSQL, within moments.

async function metric(s: TestServer, name: string): Promise<number> {
  const text = (await s.request('GET', '/metrics')).text
  const line = text.split('\n').find((l) => l.startsWith(name))
  return line ? Number(line.split(' ').pop()) : 0
}
const hits = (s: TestServer) => metric(s, 'kupe_read_cache_lookups_total{result="hit"}')
const cacheOn = async (s: TestServer) => ((await metric(s, 'kupe_read_cache_enabled')) === 1 ? true : undefined)

async function runningCluster(s: TestServer, tenant: string, key: string, name: string): Promise<void> {
  const created = await s.request('POST', `/api/v1/tenants/${tenant}/clusters`, { token: key, body: { name } })
  assert.equal(created.status, 201, created.text)
  await eventually(async () => {
    const r = await s.request('GET', `/api/v1/tenants/${tenant}/clusters/${name}`, { token: key })
    return r.body?.status?.phase === 'Running' ? true : undefined
  }, 30_000, `${name} Running`)
}

describe('read cache: one server sees its own writes at once', () => {
  let s: TestServer
  let admin: string
  const path = '/api/v1/tenants/cache-acme/clusters/web'
  before(async () => {
    s = await startTestServer()
    admin = (await s.createTenant('cache-acme')).key
    await eventually(() => cacheOn(s), 10_000, 'read cache on')
    await runningCluster(s, 'cache-acme', admin, 'web')
  })
  after(() => s.stop())

  test('repeated GETs are served from the cache', async () => {
    const before = await hits(s)
    for (let i = 0; i < 5; i++) assert.equal((await s.request('GET', path, { token: admin })).status, 200)
    assert.ok((await hits(s)) - before >= 8, 'key and cluster lookups hit the cache')
  })

  test('every PATCH is visible to the very next GET', async () => {
    for (let i = 0; i < 20; i++) {
      // Once the controller has caught up it writes nothing more, so a 412 below could only
      // come from a GET that served an old row.
      const current = await eventually(async () => {
        const r = await s.request('GET', path, { token: admin })
        return r.body.status.phase === 'Running' && r.body.status.observedGeneration === r.body.generation ? r : undefined
      }, 10_000, 'cluster settled')
      const patched = await s.request('PATCH', path, {
        token: admin,
        headers: { 'if-match': current.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
        body: { resources: { cpu: String((i % 2) + 1) } },
      })
      assert.equal(patched.status, 200, patched.text)
      const read = await s.request('GET', path, { token: admin })
      assert.equal(read.body.resources.cpu, String((i % 2) + 1))
      // The controller may have written status since (a newer ETag); the spec it read is this one.
      assert.equal(read.body.generation, patched.body.generation)
    }
  })

  test('a revoked key is refused on its next request even though it was cached', async () => {
    const ro = await s.createKey('cache-acme', admin, 'readonly')
    for (let i = 0; i < 3; i++) assert.equal((await s.request('GET', path, { token: ro.key })).status, 200)
    assert.equal((await s.request('DELETE', `/api/v1/tenants/cache-acme/apikeys/${ro.id}`, { token: admin })).status, 204)
    assert.equal((await s.request('GET', path, { token: ro.key })).status, 401)
  })

  test('suspending the tenant blocks the next write of a cached key', async () => {
    await s.request('GET', path, { token: admin })
    const suspended = await s.request('POST', '/api/v1/admin/tenants/cache-acme/suspend', { token: s.adminToken })
    assert.equal(suspended.status, 200, suspended.text)
    const write = await s.request('PATCH', path, {
      token: admin, headers: { 'content-type': 'application/merge-patch+json' }, body: { resources: { cpu: '3' } },
    })
    assert.equal(write.status, 403)
    assert.equal((await s.request('POST', '/api/v1/admin/tenants/cache-acme/resume', { token: s.adminToken })).status, 200)
  })

  test('a deleted cluster is never served from the cache', async () => {
    assert.equal((await s.request('GET', path, { token: admin })).body.status.phase, 'Running')
    assert.equal((await s.request('DELETE', path, { token: admin })).status, 204)
    const after = await s.request('GET', path, { token: admin })
    assert.ok(after.status === 404 || after.body.status.phase === 'Deleting', `got ${after.status} ${after.text}`)
    await eventually(async () => ((await s.request('GET', path, { token: admin })).status === 404 ? true : undefined), 30_000, 'cluster gone')
  })
})

// Two Kupe processes on one PostgreSQL: the other one's writes arrive by LISTEN/NOTIFY. PGlite
// belongs to one process, so there is no second server to start there.
if (process.env.KUPE_TEST_DATABASE_URL) {
  describe('read cache: two servers on one PostgreSQL', () => {
    let a: TestServer
    let b: TestServer
    let admin: string
    const path = '/api/v1/tenants/cache-two/clusters/api'
    before(async () => {
      a = await startTestServer({ persistent: true })
      b = await startTestServer({ reuse: { dataDir: a.dataDir, adminToken: a.adminToken, databaseUrl: a.databaseUrl } })
      admin = (await a.createTenant('cache-two')).key
      await eventually(() => cacheOn(a), 10_000, 'cache on A')
      await eventually(() => cacheOn(b), 10_000, 'cache on B')
      await runningCluster(a, 'cache-two', admin, 'api')
    })
    after(async () => {
      await b.stop()
      await a.stop()
    })

    test("a key revoked on one server is refused by the other, whose cache held it", async () => {
      const ro = await a.createKey('cache-two', admin, 'readonly')
      const before = await hits(b)
      for (let i = 0; i < 3; i++) assert.equal((await b.request('GET', path, { token: ro.key })).status, 200)
      assert.ok((await hits(b)) > before, 'B served the key from its cache')
      assert.equal((await a.request('DELETE', `/api/v1/tenants/cache-two/apikeys/${ro.id}`, { token: admin })).status, 204)
      await eventually(async () => ((await b.request('GET', path, { token: ro.key })).status === 401 ? true : undefined), 2_000, 'B refuses')
    })

    test('a cluster changed on one server reads changed on the other', async () => {
      const current = await b.request('GET', path, { token: admin })
      const patched = await a.request('PATCH', path, {
        token: admin,
        headers: { 'if-match': current.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
        body: { resources: { cpu: '3' } },
      })
      assert.equal(patched.status, 200, patched.text)
      await eventually(async () => ((await b.request('GET', path, { token: admin })).body.resources?.cpu === '3' ? true : undefined), 2_000, 'B sees it')
    })

    test('when its notification session dies a server stops caching, reconnects and caches again', async () => {
      const client = new pg.Client({ connectionString: a.databaseUrl })
      await client.connect()
      try {
        const killed = await client.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'kupe-read-cache'`,
        )
        assert.equal(killed.rowCount, 2, 'one listening session per server')
      } finally {
        await client.end()
      }
      // Off first (nothing it holds can be trusted), then on again after the reconnect.
      await eventually(async () => ((await metric(b, 'kupe_read_cache_enabled')) === 0 ? true : undefined), 5_000, 'B off')
      await eventually(() => cacheOn(b), 10_000, 'B on again')
      const ro = await a.createKey('cache-two', admin, 'readonly')
      assert.equal((await b.request('GET', path, { token: ro.key })).status, 200)
      assert.equal((await a.request('DELETE', `/api/v1/tenants/cache-two/apikeys/${ro.id}`, { token: admin })).status, 204)
      await eventually(async () => ((await b.request('GET', path, { token: ro.key })).status === 401 ? true : undefined), 2_000, 'B refuses')
    })
  })
}
