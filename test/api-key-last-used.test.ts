import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { LAST_USED_RESOLUTION_MS } from '../src/domain/apikeys/key-use-stamps.js'
import { ManualClock } from '../src/lib/clock.js'
import { stampApiKeyUses } from '../src/store/api-keys.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Spec §1.4: an API key's `lastUsedAt` moves on successful use, at most once a minute. The stamp
// lives apart from the key (decision 0038), so writing it leaves the key's cached row in place:
// with a thousand keys in use, a stamp that dropped the row made each key's next request a
// database read, a thousand of them a minute, all in step.

async function metric(s: TestServer, name: string): Promise<number> {
  const line = (await s.request('GET', '/metrics')).text.split('\n').find((l) => l.startsWith(name))
  return line ? Number(line.split(' ').pop()) : 0
}
const misses = (s: TestServer) => metric(s, 'kupe_read_cache_lookups_total{result="miss"}')

describe('API key lastUsedAt', () => {
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'))
  let s: TestServer
  let owner: string
  let key: { key: string; id: string }
  const tenant = 'stamp-acme'

  const lastUsedOf = async (id: string): Promise<string | undefined> => {
    const list = await s.request('GET', `/api/v1/tenants/${tenant}/apikeys`, { token: owner })
    assert.equal(list.status, 200, list.text)
    const item = list.body.items.find((k: { id: string }) => k.id === id)
    assert.ok(item, `key ${id} listed`)
    return item.lastUsedAt
  }
  const use = async () => assert.equal((await s.request('GET', `/api/v1/tenants/${tenant}/members`, { token: key.key })).status, 200)

  before(async () => {
    s = await startTestServer({ clock })
    owner = (await s.createTenant(tenant)).key
    key = await s.createKey(tenant, owner, 'readonly')
    await eventually(async () => ((await metric(s, 'kupe_read_cache_enabled')) === 1 ? true : undefined), 10_000, 'read cache on')
  })
  after(() => s.stop())

  test('a key never used has no lastUsedAt; its first use sets it', async () => {
    assert.equal(await lastUsedOf(key.id), undefined)
    await use()
    assert.equal(await lastUsedOf(key.id), '2026-03-01T10:00:00Z')
  })

  test('it moves at most once a minute, then to the use that moved it', async () => {
    clock.advance(30_000)
    await use()
    assert.equal(await lastUsedOf(key.id), '2026-03-01T10:00:00Z', 'a use 30 s later leaves it')
    clock.advance(31_000)
    await use()
    assert.equal(await lastUsedOf(key.id), '2026-03-01T10:01:01Z', 'a use 61 s after the stamp moves it')
  })

  test("stamping a key's use does not make its next requests database reads", async () => {
    await use()
    clock.advance(61_000)
    await use() // stamps
    const before = await misses(s)
    for (let i = 0; i < 5; i++) await use()
    assert.equal((await misses(s)) - before, 0, 'the key row and the member list stayed cached')
    assert.equal(await lastUsedOf(key.id), '2026-03-01T10:02:02Z')
  })

  test('the owner key listing the keys is stamped too, and revoking a stamped key still refuses it at once', async () => {
    assert.equal(await lastUsedOf(await ownerKeyId()), '2026-03-01T10:02:02Z')
    const revoked = await s.request('DELETE', `/api/v1/tenants/${tenant}/apikeys/${key.id}`, { token: owner })
    assert.equal(revoked.status, 204, revoked.text)
    assert.equal((await s.request('GET', `/api/v1/tenants/${tenant}/members`, { token: key.key })).status, 401)
  })

  const ownerKeyId = async (): Promise<string> => {
    const list = await s.request('GET', `/api/v1/tenants/${tenant}/apikeys`, { token: owner })
    const other = list.body.items.find((k: { id: string }) => k.id !== key.id)
    assert.ok(other, 'the owner key is listed')
    return other.id
  }
})

// The stamps are written in batches after the requests that earned them (decision 0039): a
// request never waits for one, and none is lost to a batch boundary or a shutdown.
describe('API key use stamps written after the request', () => {
  test('a hundred and fifty keys used in the same second are all stamped', async () => {
    const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
    const s = await startTestServer({ clock })
    try {
      const owner = (await s.createTenant('stamp-many')).key
      const keys = []
      for (let i = 0; i < 150; i++) keys.push(await s.createKey('stamp-many', owner, 'readonly'))
      clock.advance(5_000)
      // Concurrent, as 150 clients would: more keys than one written batch holds.
      const statuses = await Promise.all(keys.map(async (k) => (await s.request('GET', '/api/v1/tenants/stamp-many/members', { token: k.key })).status))
      assert.deepEqual(new Set(statuses), new Set([200]))
      const list = await s.request('GET', '/api/v1/tenants/stamp-many/apikeys?limit=500', { token: owner })
      assert.equal(list.status, 200, list.text)
      const used = new Map(list.body.items.map((k: { id: string; lastUsedAt?: string }) => [k.id, k.lastUsedAt]))
      for (const k of keys) assert.equal(used.get(k.id), '2026-03-02T09:00:05Z', `key ${k.id} stamped`)
    } finally {
      await s.stop()
    }
  })

  test('a use served just before a shutdown is written, not lost', async () => {
    // The manual clock stands still, so the batch timer never fires: only the shutdown can
    // write the stamp.
    const clock = new ManualClock(new Date('2026-03-03T08:00:00Z'))
    const first = await startTestServer({ clock, persistent: true })
    const owner = (await first.createTenant('stamp-stop')).key
    const key = await first.createKey('stamp-stop', owner, 'readonly')
    assert.equal((await first.request('GET', '/api/v1/tenants/stamp-stop/members', { token: key.key })).status, 200)
    await first.server.stop() // the data stays for the next server
    const again = await startTestServer({ clock, reuse: { dataDir: first.dataDir, adminToken: first.adminToken, databaseUrl: first.databaseUrl } })
    try {
      const list = await again.request('GET', '/api/v1/tenants/stamp-stop/apikeys', { token: owner })
      assert.equal(list.status, 200, list.text)
      assert.equal(list.body.items.find((k: { id: string }) => k.id === key.id)?.lastUsedAt, '2026-03-03T08:00:00Z')
    } finally {
      await again.stop()
    }
  })
})


// Issue 14: a write's cost is its own rows. With ten thousand keys, the stamp statement once read
// every key (the planner took its input for 100 rows and chose a hash join over all of
// `api_keys`): a PGlite statement of 5-12 ms on the event loop, once a second, under every read.
describe('API key use stamps among ten thousand keys', () => {
  test('stamping 25 keys reads those keys by index, not the whole key table', async () => {
    const s = await startTestServer()
    try {
      const db = s.server.container.db
      await sql`INSERT INTO tenants (id, name, display_name, contact_email, plan, enforce_metrics_limit, enforce_log_limit, phase, resource_version, created_at)
        SELECT 'many-t' || i, 'many-' || i, 'Many', 'ops@example.com', 'free', false, false, 'Ready', i, now() FROM generate_series(1, 10000) i`.execute(db)
      await sql`INSERT INTO api_keys (id, tenant_id, display_name, role, created_by, created_at, key_hmac)
        SELECT 'many-k' || i, 'many-t' || i, 'ci', 'admin', 'ops@example.com', now(), md5(i::text) FROM generate_series(1, 10000) i`.execute(db)
      await sql`ANALYZE api_keys`.execute(db)
      const at = new Date()
      const uses = Array.from({ length: 25 }, (_, j) => ({ keyId: `many-k${1 + j * 397}`, at }))
      // Counted inside one transaction, where the statistics are this backend's own and current
      // (flushed ones lag); PGlite keeps counting across transactions, hence before and after.
      const scans = await db.transaction().execute(async (trx) => {
        const count = async () => (await sql<{ seq: number; idx: number }>`
          SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_xact_user_tables WHERE relname = 'api_keys'`.execute(trx)).rows[0]!
        const before = await count()
        await stampApiKeyUses(trx, uses, LAST_USED_RESOLUTION_MS)
        const after = await count()
        return { seq: after.seq - before.seq, idx: after.idx - before.idx }
      })
      assert.equal(scans.seq, 0, 'no sequential scan of api_keys')
      assert.ok(scans.idx > 0, 'the keys were looked up by index')
      const stamped = await sql<{ n: string }>`SELECT count(*)::text AS n FROM api_key_usage WHERE key_id LIKE 'many-k%'`.execute(db)
      assert.equal(stamped.rows[0]!.n, '25', 'every key stamped')
    } finally {
      await s.stop()
    }
  })
})
