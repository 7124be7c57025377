import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { VaultBackend, VaultPutOptions } from './types.js'

/** A backend under test with two tenants it knows, and how to tear it down. */
export interface VaultHarness {
  backend: VaultBackend
  tenants: [string, string]
  close(): Promise<void>
}

const at = (iso: string) => new Date(iso)
const opts = (overrides: Partial<VaultPutOptions> = {}): VaultPutOptions => ({
  now: at('2026-04-06T12:00:00Z'), maxPaths: 1000, keepVersions: 10, ...overrides,
})

async function readData(backend: VaultBackend, tenant: string, path: string, version?: number) {
  const r = await backend.read(tenant, path, version)
  return r.kind === 'value' ? { version: r.value.version, data: r.value.data } : r.kind
}

/**
 * The behaviour every vault backend shares (spec §5.5), run by each backend's own test
 * (STYLE.md rule 13): versions, retention, the path limit, deletion, listing order and tenants
 * kept apart.
 */
export function describeVaultBackend(name: string, make: () => Promise<VaultHarness>): void {
  describe(`vault backend conformance: ${name}`, () => {
    let h: VaultHarness
    let t: string
    before(async () => {
      h = await make()
      t = h.tenants[0]
    })
    after(() => h.close())

    test('versions count up from 1 per path; reads give the latest or the one asked for', async () => {
      const first = await h.backend.put(t, 'app/db', { user: 'a', password: 'one' }, opts())
      assert.deepEqual(first, { ok: true, version: 1, createdAt: at('2026-04-06T12:00:00Z') })
      const second = await h.backend.put(t, 'app/db', { user: 'a', password: 'two' }, opts({ now: at('2026-04-06T13:00:00Z') }))
      assert.deepEqual(second, { ok: true, version: 2, createdAt: at('2026-04-06T13:00:00Z') })
      assert.deepEqual(await readData(h.backend, t, 'app/db'), { version: 2, data: { user: 'a', password: 'two' } })
      assert.deepEqual(await readData(h.backend, t, 'app/db', 1), { version: 1, data: { user: 'a', password: 'one' } })
      assert.equal(await readData(h.backend, t, 'app/db', 3), 'no-version')
      assert.equal(await readData(h.backend, t, 'app/none'), 'no-entry')
      assert.equal(await readData(h.backend, t, 'app/none', 1), 'no-entry')
      const r = await h.backend.read(t, 'app/db', 1)
      assert.ok(r.kind === 'value')
      assert.deepEqual(r.value.createdAt, at('2026-04-06T12:00:00Z'))
    })

    test('only the newest keepVersions versions are kept', async () => {
      for (let i = 1; i <= 5; i++) await h.backend.put(t, 'keep', { n: String(i) }, opts({ keepVersions: 3 }))
      assert.equal(await readData(h.backend, t, 'keep', 2), 'no-version')
      assert.deepEqual(await readData(h.backend, t, 'keep', 3), { version: 3, data: { n: '3' } })
      assert.deepEqual(await readData(h.backend, t, 'keep'), { version: 5, data: { n: '5' } })
      assert.deepEqual((await h.backend.versions(t, 'keep')).map((v) => v.version), [5, 4, 3])
    })

    test('versions: the kept ones newest first with their write times, nothing of the value', async () => {
      await h.backend.put(t, 'meta/a', { k: 'one' }, opts({ now: at('2026-04-07T10:00:00Z') }))
      await h.backend.put(t, 'meta/a', { k: 'two' }, opts({ now: at('2026-04-07T11:00:00Z') }))
      assert.deepEqual(await h.backend.versions(t, 'meta/a'), [
        { version: 2, createdAt: at('2026-04-07T11:00:00Z') },
        { version: 1, createdAt: at('2026-04-07T10:00:00Z') },
      ])
      assert.deepEqual(await h.backend.versions(t, 'meta/none'), [])
      assert.deepEqual(await h.backend.versions(h.tenants[1], 'meta/a'), [])
    })

    test('the path limit refuses only new paths', async () => {
      const [, other] = h.tenants
      assert.equal((await h.backend.put(other, 'one', {}, opts({ maxPaths: 2 }))).ok, true)
      assert.equal((await h.backend.put(other, 'two', {}, opts({ maxPaths: 2 }))).ok, true)
      assert.deepEqual(await h.backend.put(other, 'three', {}, opts({ maxPaths: 2 })), { ok: false, reason: 'path-limit' })
      assert.equal(await readData(h.backend, other, 'three'), 'no-entry')
      assert.deepEqual(await h.backend.put(other, 'two', { a: 'b' }, opts({ maxPaths: 2 })), { ok: true, version: 2, createdAt: opts().now })
      assert.ok(await h.backend.delete(other, 'one'))
      assert.equal((await h.backend.put(other, 'three', {}, opts({ maxPaths: 2 }))).ok, true)
    })

    test('heads: latest version without the value, and a revision that changes on every write', async () => {
      await h.backend.put(t, 'rev', { same: 'data' }, opts())
      const [one] = [...(await h.backend.heads(t, ['rev', 'rev', 'absent'])).values()]
      assert.ok(one)
      assert.equal((await h.backend.heads(t, ['rev', 'absent'])).has('absent'), false)
      assert.equal(one.version, 1)
      assert.equal(typeof one.revision, 'string')
      const read = await h.backend.read(t, 'rev')
      assert.ok(read.kind === 'value')
      assert.equal(read.value.revision, one.revision, 'read and heads agree')
      assert.equal((await h.backend.heads(t, ['rev'])).get('rev')?.revision, one.revision, 'stable between writes')
      await h.backend.put(t, 'rev', { same: 'data' }, opts())
      assert.notEqual((await h.backend.heads(t, ['rev'])).get('rev')?.revision, one.revision, 'same data, new write')
      assert.equal((await h.backend.heads(t, [])).size, 0)
    })

    test('delete destroys every version; a new write starts at 1 with a new revision', async () => {
      await h.backend.put(t, 'gone', { v: '1' }, opts())
      await h.backend.put(t, 'gone', { v: '2' }, opts())
      const before = (await h.backend.heads(t, ['gone'])).get('gone')
      assert.equal(await h.backend.delete(t, 'gone'), true)
      assert.equal(await h.backend.delete(t, 'gone'), false)
      assert.equal(await readData(h.backend, t, 'gone', 1), 'no-entry')
      const again = await h.backend.put(t, 'gone', { v: '3' }, opts())
      assert.equal(again.ok && again.version, 1)
      assert.notEqual((await h.backend.heads(t, ['gone'])).get('gone')?.revision, before?.revision)
    })

    test('list: byte order of path, prefix, after and limit', async () => {
      const [, u] = h.tenants
      for (const p of ['b', 'a_b', 'a/b', 'A', 'a-b', 'a.b', 'ab']) await h.backend.put(u, `ls/${p}`, {}, opts())
      const paths = async (o: Parameters<VaultBackend['list']>[1]) => (await h.backend.list(u, o)).map((e) => e.path)
      assert.deepEqual(await paths({ prefix: 'ls/' }), ['ls/A', 'ls/a-b', 'ls/a.b', 'ls/a/b', 'ls/a_b', 'ls/ab', 'ls/b'])
      assert.deepEqual(await paths({ prefix: 'ls/a_' }), ['ls/a_b'])
      assert.deepEqual(await paths({ prefix: 'ls/', after: 'ls/a/b', limit: 2 }), ['ls/a_b', 'ls/ab'])
      const [entry] = await h.backend.list(u, { prefix: 'ls/b' })
      assert.deepEqual(entry, { path: 'ls/b', version: 1, updatedAt: opts().now })
    })

    test('tenants are kept apart', async () => {
      const [a, b] = h.tenants
      await h.backend.put(a, 'mine', { k: 'a' }, opts())
      assert.equal(await readData(h.backend, b, 'mine'), 'no-entry')
      assert.equal((await h.backend.heads(b, ['mine'])).size, 0)
      assert.equal(await h.backend.delete(b, 'mine'), false)
      assert.deepEqual(await readData(h.backend, a, 'mine'), { version: 1, data: { k: 'a' } })
    })
  })
}
