import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cachedTablesWritten, ReadCache } from './read-cache.js'

/** A loader the test finishes by hand, to place writes in the middle of a read. */
function pendingLoad<T>() {
  let finish!: (v: T) => void
  let calls = 0
  const load = () => {
    calls++
    return new Promise<T>((r) => (finish = r))
  }
  return { load, finish: (v: T) => finish(v), calls: () => calls }
}

test('writes to cached tables are found in Kysely-built and hand-written SQL; reads and other tables are not', () => {
  assert.deepEqual(cachedTablesWritten('update "api_keys" set "last_used_at" = $1 where "id" = $2'), ['api_keys'])
  assert.deepEqual(cachedTablesWritten('insert into "clusters" ("id") values ($1) returning *'), ['clusters'])
  assert.deepEqual(cachedTablesWritten('DELETE FROM tenants WHERE id = $1'), ['tenants'])
  assert.deepEqual(cachedTablesWritten('TRUNCATE TABLE clusters'), ['clusters'])
  assert.deepEqual(
    cachedTablesWritten('with t as (update "tenants" set "phase" = $1 returning *) update "clusters" set x = 1'),
    ['tenants', 'clusters'],
  )
  assert.deepEqual(cachedTablesWritten('select * from "clusters" where "id" = $1 for update'), [])
  assert.deepEqual(
    cachedTablesWritten('insert into "idempotency_records" ("key") values ($1) on conflict do update set "state" = $2'),
    [],
  )
  assert.deepEqual(cachedTablesWritten('insert into "observability_samples" ("hour") values ($1) on conflict do update set x = 1'), ['observability_samples'])
  assert.deepEqual(cachedTablesWritten('select "updated_at" from "clusters"'), [])
})

test('a second read of the same key is answered from memory, frozen', async () => {
  const cache = new ReadCache()
  let loads = 0
  const load = async () => {
    loads++
    return { name: 'web', status: { phase: 'Running' } }
  }
  const a = await cache.read('cluster:t:web', ['clusters'], load)
  const b = await cache.read('cluster:t:web', ['clusters'], load)
  assert.equal(loads, 1)
  assert.equal(a, b)
  assert.throws(() => {
    ;(b as { status: { phase: string } }).status.phase = 'Deleting'
  }, TypeError)
})

test('a missing row is not remembered: the next read asks the database again', async () => {
  const cache = new ReadCache()
  let loads = 0
  const load = async () => {
    loads++
    return undefined
  }
  await cache.read('apikey:x', ['api_keys'], load)
  await cache.read('apikey:x', ['api_keys'], load)
  assert.equal(loads, 2)
})

test('a write to a table drops the entries that depend on it and only those', async () => {
  const cache = new ReadCache()
  await cache.read('apikey:a', ['api_keys', 'tenants'], async () => ({ id: 'a' }))
  await cache.read('cluster:t:web', ['clusters', 'tenants'], async () => ({ name: 'web' }))
  cache.beginWrite('clusters')
  cache.endWrite('clusters')
  assert.equal(cache.size, 1)
  cache.invalidate('tenants')
  assert.equal(cache.size, 0)
})

test('a read that overlaps a committed write is returned but not kept (it may hold the old row)', async () => {
  const cache = new ReadCache()
  const slow = pendingLoad<{ v: number }>()
  const reading = cache.read('cluster:t:web', ['clusters'], slow.load)
  cache.beginWrite('clusters')
  cache.endWrite('clusters')
  slow.finish({ v: 1 })
  assert.deepEqual(await reading, { v: 1 })
  let loads = 0
  await cache.read('cluster:t:web', ['clusters'], async () => ({ v: ++loads + 1 }))
  assert.equal(loads, 1, 'the stale value was not cached')
})

test('nothing is kept while a write transaction on the table is still open', async () => {
  const cache = new ReadCache()
  cache.beginWrite('api_keys')
  await cache.read('apikey:a', ['api_keys'], async () => ({ revoked: false }))
  assert.equal(cache.size, 0)
  cache.endWrite('api_keys')
  await cache.read('apikey:a', ['api_keys'], async () => ({ revoked: true }))
  assert.equal(cache.size, 1)
})

test('a disabled cache (change notifications lost) keeps nothing until enabled again', async () => {
  const cache = new ReadCache({ enabled: false })
  await cache.read('apikey:a', ['api_keys'], async () => ({ id: 'a' }))
  assert.equal(cache.size, 0)
  cache.setEnabled(true)
  await cache.read('apikey:a', ['api_keys'], async () => ({ id: 'a' }))
  assert.equal(cache.size, 1)
  cache.setEnabled(false)
  assert.equal(cache.size, 0, 'disabling drops what was kept')
})

test('the cache holds at most maxEntries, dropping the least recently used', async () => {
  const cache = new ReadCache({ maxEntries: 2 })
  await cache.read('a', ['clusters'], async () => ({ k: 'a' }))
  await cache.read('b', ['clusters'], async () => ({ k: 'b' }))
  await cache.read('a', ['clusters'], async () => assert.fail('"a" is cached'))
  await cache.read('c', ['clusters'], async () => ({ k: 'c' }))
  assert.equal(cache.size, 2)
  let loads = 0
  await cache.read('b', ['clusters'], async () => ({ k: `b${++loads}` }))
  assert.equal(loads, 1, '"b", used least recently, was evicted')
  await cache.read('c', ['clusters'], async () => assert.fail('"c" is cached'))
})

test('the cache holds about maxBytes; a value too large for it is served but not kept', async () => {
  const cache = new ReadCache({ maxBytes: 16 * 1024 })
  await cache.read('big', ['vault_versions'], async () => ({ ciphertext: 'x'.repeat(1024) }))
  assert.equal(cache.size, 0, 'over 1/16 of the budget')
  for (let i = 0; i < 40; i++) await cache.read(`v${i}`, ['vault_versions'], async () => ({ ciphertext: 'x'.repeat(200) }))
  assert.ok(cache.size > 0 && cache.size < 40, `${cache.size} entries kept within 16 KiB`)
})

test('a timed value is served from the moment it was loaded until the moment its loader gave', async () => {
  const cache = new ReadCache()
  let loads = 0
  const load = async () => ({ value: { n: ++loads }, until: 2_000 })
  assert.deepEqual(await cache.readTimed('estimate:t', ['credits'], 1_000, load), { n: 1 })
  assert.deepEqual(await cache.readTimed('estimate:t', ['credits'], 1_999, load), { n: 1 })
  assert.deepEqual(await cache.readTimed('estimate:t', ['credits'], 2_000, load), { n: 2 }, 'expired at until')
  assert.deepEqual(await cache.readTimed('estimate:t', ['credits'], 500, load), { n: 3 }, 'a clock set back is not served a later value')
  cache.invalidate('credits')
  assert.deepEqual(await cache.readTimed('estimate:t', ['credits'], 600, load), { n: 4 }, 'writes drop timed values too')
  const never = async () => ({ value: { n: ++loads }, until: 700 })
  await cache.readTimed('now:t', ['credits'], 700, never)
  await cache.readTimed('now:t', ['credits'], 700, never)
  assert.equal(loads, 6, 'a value that ends when it is loaded is never kept')
})

test('a read nested in another read is kept by both, and a write drops both', async () => {
  const cache = new ReadCache()
  let inner = 0
  const outer = () => cache.read('view:t', ['tenants', 'members'], async () => {
    const row = await cache.read('row:t', ['tenants'], async () => ({ inner: ++inner }))
    return { row }
  })
  await outer()
  await outer()
  assert.equal(inner, 1)
  cache.invalidate('members')
  await outer()
  assert.equal(inner, 1, 'the row did not depend on members')
  cache.invalidate('tenants')
  await outer()
  assert.equal(inner, 2)
})

test('a write scoped to one tenant drops that tenant\'s entries and the cross-tenant ones, not another tenant\'s', async () => {
  const cache = new ReadCache()
  let loads = 0
  const load = (v: string) => async () => {
    loads++
    return { v }
  }
  await cache.read('cluster:a:web', ['clusters'], load('a'), 'a')
  await cache.read('cluster:b:web', ['clusters'], load('b'), 'b')
  await cache.read('all-clusters', ['clusters'], load('all'))
  await cache.read('apikey:k', ['api_keys', 'tenants'], load('key of b'), () => 'b')
  assert.equal(loads, 4)
  cache.beginWrite('clusters', 'a')
  cache.endWrite('clusters', 'a')
  await cache.read('cluster:a:web', ['clusters'], load('a'), 'a')
  await cache.read('cluster:b:web', ['clusters'], load('b'), 'b')
  await cache.read('all-clusters', ['clusters'], load('all'))
  assert.equal(loads, 6, "a's entry and the cross-tenant list were loaded again; b's was served")
  cache.invalidate('tenants', 'b')
  await cache.read('apikey:k', ['api_keys', 'tenants'], load('key of b'), () => 'b')
  assert.equal(loads, 7, 'a scope read from the value is honoured')
  // A write without a scope drops every entry of its tables.
  cache.beginWrite('clusters')
  cache.endWrite('clusters')
  await cache.read('cluster:b:web', ['clusters'], load('b'), 'b')
  assert.equal(loads, 8)
})

test('a scoped read that raced a write of its own tenant stores nothing; one racing another tenant\'s does', async () => {
  const cache = new ReadCache()
  const a = pendingLoad<{ v: number }>()
  const reading = cache.read('cluster:a:web', ['clusters'], a.load, 'a')
  cache.beginWrite('clusters', 'b')
  cache.endWrite('clusters', 'b')
  a.finish({ v: 1 })
  await reading
  await cache.read('cluster:a:web', ['clusters'], a.load, 'a')
  assert.equal(a.calls(), 1, "b's write did not concern a's entry")
  const b = pendingLoad<{ v: number }>()
  const again = cache.read('cluster:b:web', ['clusters'], b.load, 'b')
  cache.beginWrite('clusters', 'b')
  b.finish({ v: 1 })
  await again
  cache.endWrite('clusters', 'b')
  void cache.read('cluster:b:web', ['clusters'], b.load, 'b')
  assert.equal(b.calls(), 2, 'the read that overlapped its own tenant\'s write was not kept')
  b.finish({ v: 2 })
  // A scope read from the value: any write to the tables during the load keeps it out.
  const k = pendingLoad<{ tenant: string }>()
  const key = cache.read('apikey:k', ['api_keys'], k.load, (r) => r.tenant)
  cache.beginWrite('api_keys', 'c')
  cache.endWrite('api_keys', 'c')
  k.finish({ tenant: 'a' })
  await key
  void cache.read('apikey:k', ['api_keys'], k.load, (r) => r.tenant)
  assert.equal(k.calls(), 2)
  k.finish({ tenant: 'a' })
})
