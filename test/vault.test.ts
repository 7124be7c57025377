import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { startTestServer, type TestServer } from './helpers/server.js'

// The tenant vault (spec §5.5, §6.5) over real HTTP: versions, listing, roles, errors in the
// order of §1.9, and values that never reach the logs or the database in clear.

const V = '/api/v1/tenants/acme/vault'

describe('tenant vault', () => {
  let s: TestServer
  let admin: string
  let readonly: string

  before(async () => {
    s = await startTestServer()
    admin = (await s.createTenant('acme')).key
    readonly = (await s.createKey('acme', admin, 'readonly')).key
  })
  after(() => s.stop())

  const put = (path: string, data: unknown, token = admin) => s.request('PUT', `${V}/${path}`, { token, body: { data } })
  const get = (path: string, token = admin) => s.request('GET', `${V}/${path}`, { token })

  test('a write creates version 1, the next version 2, and a read returns the latest with no-store', async () => {
    const first = await put('production/db-password', { username: 'app', password: 's3cr3t' })
    assert.equal(first.status, 200)
    assert.deepEqual(Object.keys(first.body).sort(), ['createdAt', 'path', 'version'])
    assert.equal(first.body.path, 'production/db-password')
    assert.equal(first.body.version, 1)
    assert.match(first.body.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)

    const second = await put('production/db-password', { username: 'app', password: 'n3w' })
    assert.equal(second.body.version, 2)

    const latest = await get('production/db-password')
    assert.equal(latest.status, 200)
    assert.equal(latest.headers.get('cache-control'), 'no-store')
    assert.deepEqual(latest.body, {
      path: 'production/db-password', version: 2, data: { username: 'app', password: 'n3w' }, createdAt: second.body.createdAt,
    })
    const old = await s.request('GET', `${V}/production/db-password?version=1`, { token: admin })
    assert.equal(old.status, 200)
    assert.deepEqual(old.body.data, { username: 'app', password: 's3cr3t' })
    assert.equal(old.body.version, 1)
  })

  test('an unchanged value still makes a new version, and an empty map is a valid value', async () => {
    assert.equal((await put('same', { a: 'b' })).body.version, 1)
    assert.equal((await put('same', { a: 'b' })).body.version, 2)
    const empty = await put('empty', {})
    assert.equal(empty.status, 200)
    assert.deepEqual((await get('empty')).body.data, {})
  })

  test('only the 10 newest versions are kept', async () => {
    for (let i = 1; i <= 12; i++) assert.equal((await put('rotating', { n: String(i) })).body.version, i)
    for (const v of [1, 2, 13]) {
      const r = await s.request('GET', `${V}/rotating?version=${v}`, { token: admin })
      assert.deepEqual([r.status, r.body], [404, { error: 'Vault version not found' }], `version ${v}`)
    }
    const oldestKept = await s.request('GET', `${V}/rotating?version=3`, { token: admin })
    assert.deepEqual([oldestKept.status, oldestKept.body.data], [200, { n: '3' }])
    const huge = await s.request('GET', `${V}/rotating?version=99999999999999`, { token: admin })
    assert.deepEqual([huge.status, huge.body], [404, { error: 'Vault version not found' }])
  })

  test('a version that is not a positive integer is refused before any lookup', async () => {
    for (const q of ['0', '-1', 'abc', '1.5', '']) {
      const r = await s.request('GET', `${V}/does-not-exist?version=${q}`, { token: admin })
      assert.deepEqual([r.status, r.body], [400, { error: 'Invalid version' }], `version=${q}`)
    }
  })

  test('deleting a path destroys every version and the next write starts again at 1', async () => {
    await put('doomed', { k: 'v1' })
    await put('doomed', { k: 'v2' })
    const del = await s.request('DELETE', `${V}/doomed`, { token: admin })
    assert.equal(del.status, 204)
    assert.equal(del.text, '')
    assert.deepEqual((await get('doomed')).body, { error: 'Vault entry not found' })
    const v1 = await s.request('GET', `${V}/doomed?version=1`, { token: admin })
    assert.deepEqual([v1.status, v1.body], [404, { error: 'Vault entry not found' }])
    const again = await s.request('DELETE', `${V}/doomed`, { token: admin })
    assert.deepEqual([again.status, again.body], [404, { error: 'Vault entry not found' }])
    assert.equal((await put('doomed', { k: 'v3' })).body.version, 1)
    assert.deepEqual((await get('doomed')).body.data, { k: 'v3' })
  })

  test('reading a path that was never written is 404', async () => {
    const r = await get('never/written')
    assert.deepEqual([r.status, r.body], [404, { error: 'Vault entry not found' }])
  })

  test('a percent-encoded path is the same path', async () => {
    await put('enc/one', { a: '1' })
    const r = await s.request('GET', `${V}/enc%2Fone`, { token: admin })
    assert.deepEqual([r.status, r.body.path, r.body.data], [200, 'enc/one', { a: '1' }])
  })

  test('invalid vault paths are refused with 400 before anything else', async () => {
    // Sent byte for byte (fetch would resolve the dot segments away before they reach us).
    for (const path of ['-starts-with-dash', 'a//b', 'a/', 'a/../b', 'a/%2E%2E/b', 'a/./b', '..', 'sp%20ace', 'x'.repeat(256)]) {
      for (const method of ['GET', 'DELETE']) {
        const r = await rawRequest(s.url, method, `${V}/${path}`, admin)
        assert.deepEqual([r.status, r.body], [400, { error: 'Invalid vault path' }], `${method} ${path}`)
      }
      const w = await rawRequest(s.url, 'PUT', `${V}/${path}`, admin, 'not json')
      assert.deepEqual([w.status, w.body], [400, { error: 'Invalid vault path' }], `PUT ${path}`)
    }
    const longest = await put('x'.repeat(255), { a: 'b' })
    assert.equal(longest.status, 200)
  })

  test('body errors: media type, JSON, unknown, required and invalid fields, data keys and values', async () => {
    const cases: Array<[string, Record<string, string> | undefined, string, number, Record<string, string>]> = [
      ['text', { 'content-type': 'text/plain' }, '{"data":{}}', 415, { error: 'Unsupported media type' }],
      ['malformed', undefined, '{"data":', 400, { error: 'Malformed JSON body' }],
      ['array', undefined, '[]', 400, { error: 'Request body must be a JSON object' }],
      ['unknown', undefined, '{"data":{},"version":3}', 400, coded('UNKNOWN_FIELD', 'Unknown field "version"', 'version')],
      ['missing', undefined, '{}', 400, coded('REQUIRED_FIELD', 'Missing required field "data"', 'data')],
      ['not-object', undefined, '{"data":"x"}', 400, coded('INVALID_FIELD', 'Invalid value for "data": must be object', 'data')],
      ['number', undefined, '{"data":{"ok":"x","port":5432}}', 400, coded('INVALID_FIELD', 'Invalid value for "data.port": must be string', 'data.port')],
    ]
    for (const [name, headers, rawBody, status, body] of cases) {
      const r = await s.request('PUT', `${V}/body/${name}`, { token: admin, rawBody, headers: headers ?? { 'content-type': 'application/json' } })
      assert.deepEqual([r.status, r.body], [status, body], name)
    }
    for (const key of ['bad key', 'slash/key', 'k'.repeat(254), '']) {
      const r = await put('body/key', { good: 'x', [key]: 'v' })
      assert.equal(r.status, 400, key)
      assert.equal(r.body.code, 'INVALID_FIELD')
      assert.equal(r.body.field, `data.${key}`)
      assert.ok(r.body.error.startsWith(`Invalid value for "data.${key}": `))
    }
    // A bad key and a bad value: whichever comes first in the document is reported.
    assert.equal((await put('body/key', { 'bad key': 'v', a: 1 } as never)).body.field, 'data.bad key')
    assert.equal((await put('body/key', { a: 1, 'bad key': 'v' } as never)).body.field, 'data.a')
    assert.equal((await put('body/key', { '-._aZ09': 'x', ['k'.repeat(253)]: 'y' })).status, 200)
    assert.equal((await get('body/missing')).status, 404, 'refused writes store nothing')
  })

  test('a value over 1 MiB is VAULT_VALUE_TOO_LARGE; a body over 2 MiB is 413', async () => {
    const exact = await put('big/exact', { k: 'x'.repeat(1024 * 1024 - 1) })
    assert.equal(exact.status, 200, 'keys plus values of exactly 1 MiB fit')
    // Quotes are escaped in JSON: a body just under 2 MiB holds a value just over 1 MiB.
    const escaped = await put('big/escaped', { k: '"'.repeat(1024 * 1024 - 100), more: 'x'.repeat(100) })
    assert.deepEqual([escaped.status, escaped.body], [400, coded('VAULT_VALUE_TOO_LARGE', 'Vault value exceeds 1 MiB', 'data')])
    const unicode = await put('big/unicode', { k: 'é'.repeat(512 * 1024 + 1) })
    assert.equal(unicode.body.code, 'VAULT_VALUE_TOO_LARGE', 'UTF-8 bytes are counted, not characters')
    const tooBig = await put('big/body', { k: 'x'.repeat(2 * 1024 * 1024) })
    assert.deepEqual([tooBig.status, tooBig.body], [413, { error: 'Request body too large' }])
    assert.equal((await get('big/escaped')).status, 404)
  })

  test('a tenant may hold 1,000 paths; a new path beyond that is refused, existing ones stay writable', async () => {
    const { key } = await s.createTenant('fullco')
    const tenant = await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'fullco').executeTakeFirstOrThrow()
    const fillers = Array.from({ length: 999 }, (_, i) => ({ tenant_id: tenant.id, path: `filler/${i}`, version: 1, updated_at: new Date() }))
    await s.server.container.db.insertInto('vault_entries').values(fillers).execute()
    const last = await s.request('PUT', '/api/v1/tenants/fullco/vault/last', { token: key, body: { data: { a: 'b' } } })
    assert.equal(last.status, 200, 'the 1,000th path')
    const over = await s.request('PUT', '/api/v1/tenants/fullco/vault/one-too-many', { token: key, body: { data: { a: 'b' } } })
    assert.deepEqual([over.status, over.body], [400, coded('LIMIT_EXCEEDED', 'Limit reached: vault paths per tenant (1000)')])
    const rewrite = await s.request('PUT', '/api/v1/tenants/fullco/vault/last', { token: key, body: { data: { a: 'c' } } })
    assert.deepEqual([rewrite.status, rewrite.body.version], [200, 2])
    assert.equal((await s.request('DELETE', '/api/v1/tenants/fullco/vault/last', { token: key })).status, 204)
    const freed = await s.request('PUT', '/api/v1/tenants/fullco/vault/one-too-many', { token: key, body: { data: { a: 'b' } } })
    assert.equal(freed.status, 200, 'deleting a path frees room')
  })

  describe('listing', () => {
    let lister: string
    before(async () => {
      lister = (await s.createTenant('lister')).key
      // Byte order puts A before a-b before a.b before a/b before a_b before ab (spec §1.4).
      for (const path of ['ab', 'a_b', 'a/b', 'a.b', 'a-b', 'A', 'team/x/one', 'team/x/two', 'team/y', 'teams']) {
        const r = await s.request('PUT', `/api/v1/tenants/lister/vault/${path}`, { token: lister, body: { data: { v: path } } })
        assert.equal(r.status, 200)
      }
      await s.request('PUT', '/api/v1/tenants/lister/vault/ab', { token: lister, body: { data: { v: 'again' } } })
    })
    const list = (query = '', token = lister) => s.request('GET', `/api/v1/tenants/lister/vault${query}`, { token })

    test('every path in byte order, with its latest version and write time, never a value', async () => {
      const r = await list()
      assert.equal(r.status, 200)
      assert.deepEqual(Object.keys(r.body), ['items'])
      assert.deepEqual(
        r.body.items.map((i: { path: string }) => i.path),
        ['A', 'a-b', 'a.b', 'a/b', 'a_b', 'ab', 'team/x/one', 'team/x/two', 'team/y', 'teams'],
      )
      const ab = r.body.items.find((i: { path: string }) => i.path === 'ab')
      assert.deepEqual(Object.keys(ab).sort(), ['path', 'updatedAt', 'version'])
      assert.equal(ab.version, 2)
      assert.equal(r.headers.get('cache-control'), null)
    })

    test('prefix is a plain string prefix, may end with /, and treats _ literally', async () => {
      const paths = async (q: string) => (await list(q)).body.items.map((i: { path: string }) => i.path)
      assert.deepEqual(await paths('?prefix=team/'), ['team/x/one', 'team/x/two', 'team/y'])
      assert.deepEqual(await paths('?prefix=team'), ['team/x/one', 'team/x/two', 'team/y', 'teams'])
      assert.deepEqual(await paths('?prefix=team/x/t'), ['team/x/two'])
      assert.deepEqual(await paths('?prefix=a_'), ['a_b'])
      assert.deepEqual(await paths('?prefix=nothing'), [])
      assert.deepEqual(await paths('?prefix='), (await paths('')))
      for (const bad of ['a%20b', 'a*', '%C3%A9', 'p'.repeat(256)]) {
        const r = await list(`?prefix=${bad}`)
        assert.deepEqual([r.status, r.body], [400, { error: 'Invalid vault path prefix' }], bad)
      }
    })

    test('pagination walks every path once, per prefix', async () => {
      const seen: string[] = []
      let query = '?prefix=team&limit=3'
      for (;;) {
        const r = await list(query)
        assert.equal(r.status, 200)
        assert.ok(r.body.items.length <= 3)
        seen.push(...r.body.items.map((i: { path: string }) => i.path))
        if (!r.body.continue) break
        query = `?prefix=team&limit=3&continue=${r.body.continue}`
      }
      assert.deepEqual(seen, ['team/x/one', 'team/x/two', 'team/y', 'teams'])

      const first = await list('?limit=2')
      assert.deepEqual(first.body.items.map((i: { path: string }) => i.path), ['A', 'a-b'])
      const foreign = await list(`?prefix=team&continue=${first.body.continue}`)
      assert.deepEqual([foreign.status, foreign.body], [400, { error: 'Invalid continue token' }], 'a token is bound to its prefix')
      assert.deepEqual((await list('?continue=garbage')).body, { error: 'Invalid continue token' })
      assert.deepEqual((await list('?limit=0')).body, { error: 'Invalid limit' })
      assert.deepEqual((await list('?limit=1001')).body, { error: 'Invalid limit' })
    })

    test('an empty vault lists as {"items": []}', async () => {
      const { key } = await s.createTenant('emptyco')
      const r = await s.request('GET', '/api/v1/tenants/emptyco/vault', { token: key })
      assert.deepEqual([r.status, r.body], [200, { items: [] }])
    })
  })

  test('vault-versions lists the kept versions newest first with write times, never a value, to any member', async () => {
    const VV = '/api/v1/tenants/acme/vault-versions'
    const written = []
    for (let i = 1; i <= 12; i++) written.push((await put('history/app', { secret: `value-${i}` })).body)
    for (const token of [admin, readonly]) {
      const r = await s.request('GET', `${VV}/history/app`, { token })
      assert.equal(r.status, 200, r.text)
      assert.deepEqual(Object.keys(r.body).sort(), ['currentVersion', 'path', 'versions'])
      assert.equal(r.body.path, 'history/app')
      assert.equal(r.body.currentVersion, 12)
      // The 10 kept versions (spec §5.5), each as its write answered.
      assert.deepEqual(r.body.versions, written.slice(2).reverse().map((w) => ({ version: w.version, createdAt: w.createdAt })))
      assert.ok(!r.text.includes('value-'), 'no value in the metadata')
    }
    const missing = await s.request('GET', `${VV}/history/none`, { token: readonly })
    assert.deepEqual([missing.status, missing.body], [404, { error: 'Vault entry not found' }])
    const bad = await s.request('GET', `${VV}/a//b`, { token: admin })
    assert.deepEqual([bad.status, bad.body], [400, { error: 'Invalid vault path' }])
  })

  test('readonly keys list metadata but cannot read, write or delete values', async () => {
    await put('roles/x', { a: 'b' })
    const listed = await s.request('GET', V, { token: readonly })
    assert.equal(listed.status, 200)
    assert.ok(listed.body.items.some((i: { path: string }) => i.path === 'roles/x'))
    const denied = { error: 'Admin access required' }
    assert.deepEqual([(await get('roles/x', readonly)).status, (await get('roles/x', readonly)).body], [403, denied])
    const w = await put('roles/x', { a: 'c' }, readonly)
    assert.deepEqual([w.status, w.body], [403, denied])
    const d = await s.request('DELETE', `${V}/roles/x`, { token: readonly })
    assert.deepEqual([d.status, d.body], [403, denied])
    // Role is checked before the path (§1.9 steps 7 and 9).
    assert.deepEqual((await get('a//b', readonly)).body, denied)
    assert.deepEqual((await get('roles/x')).body.data, { a: 'b' })
  })

  test('other tenants and missing credentials are refused', async () => {
    const other = (await s.createTenant('globex')).key
    const r = await get('production/db-password', other)
    assert.deepEqual([r.status, r.body], [403, { error: 'Not a member of this tenant' }])
    const l = await s.request('GET', V, { token: other })
    assert.equal(l.status, 403)
    const anon = await s.request('GET', `${V}/production/db-password`)
    assert.deepEqual([anon.status, anon.body], [401, { error: 'Missing or invalid authentication' }])
    assert.equal(anon.headers.get('www-authenticate'), 'Bearer realm="kupe"')
  })

  test('a suspended tenant can read and list but not write or delete', async () => {
    const { key } = await s.createTenant('sleepy')
    await s.request('PUT', '/api/v1/tenants/sleepy/vault/k', { token: key, body: { data: { a: 'b' } } })
    assert.equal((await s.request('POST', '/api/v1/admin/tenants/sleepy/suspend', { token: s.adminToken })).status, 200)
    const suspended = { error: 'Tenant suspended' }
    assert.deepEqual((await s.request('PUT', '/api/v1/tenants/sleepy/vault/k', { token: key, body: { data: {} } })).body, suspended)
    assert.deepEqual((await s.request('DELETE', '/api/v1/tenants/sleepy/vault/k', { token: key })).body, suspended)
    assert.equal((await s.request('GET', '/api/v1/tenants/sleepy/vault/k', { token: key })).status, 200)
    assert.equal((await s.request('GET', '/api/v1/tenants/sleepy/vault', { token: key })).status, 200)
  })

  test('other methods on vault paths are 405 with Allow', async () => {
    const r = await s.request('POST', `${V}/x`, { token: admin, body: { data: {} } })
    assert.equal(r.status, 405)
    assert.deepEqual(r.body, { error: 'Method not allowed' })
    assert.equal(r.headers.get('allow'), 'GET, PUT, DELETE')
  })

  test('values never appear in clear in the logs or in the database', async () => {
    const plaintext = 'leak-canary-7f3a9c1e-do-not-log'
    assert.equal((await put('canary/value', { password: plaintext })).status, 200)
    assert.equal((await put('canary/value', { password: plaintext, again: plaintext })).status, 200)
    assert.equal((await get('canary/value')).body.data.password, plaintext)
    await s.request('GET', `${V}/canary/value?version=1`, { token: admin })

    assert.ok(s.logs.length > 0)
    assert.ok(!s.logs.some((l) => l.includes(plaintext)), 'plaintext in the server logs')
    const rows = await s.server.container.db.selectFrom('vault_versions').select(['ciphertext']).where('path', '=', 'canary/value').execute()
    assert.equal(rows.length, 2)
    for (const { ciphertext } of rows) {
      assert.ok(!ciphertext.includes(plaintext))
      assert.ok(!ciphertext.includes(Buffer.from(plaintext).toString('base64').slice(0, 20)))
    }
    assert.notEqual(rows[0]!.ciphertext, rows[1]!.ciphertext)
  })

  test('a ciphertext moved to another path or version does not decrypt', async () => {
    await put('bound/a', { k: 'value-a' })
    await put('bound/b', { k: 'value-b' })
    const db = s.server.container.db
    const a = await db.selectFrom('vault_versions').select('ciphertext').where('path', '=', 'bound/a').executeTakeFirstOrThrow()
    await db.updateTable('vault_versions').set({ ciphertext: a.ciphertext }).where('path', '=', 'bound/b').execute()
    const r = await get('bound/b')
    assert.deepEqual([r.status, r.body], [500, { error: 'Internal server error' }])
    assert.ok(!s.logs.some((l) => l.includes('value-a')))
  })
})

/** A request whose path goes on the wire exactly as written. */
function rawRequest(base: string, method: string, path: string, token: string, body?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const req = httpRequest(`${base}/`, { method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function coded(code: string, message: string, field?: string): Record<string, string> {
  return { error: message, code, severity: 'error', message, ...(field !== undefined ? { field } : {}) }
}
