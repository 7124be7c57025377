import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Managed secret definitions (spec §5.4, §6.4, §1.6) over real HTTP: the object, errors in the
// order each operation lists, ETags, roles and pagination. Syncing is in secret-sync.test.ts.

const S = '/api/v1/tenants/acme/secrets'

describe('managed secrets', () => {
  let s: TestServer
  let admin: string
  let readonly: string

  before(async () => {
    s = await startTestServer()
    admin = (await s.createTenant('acme')).key
    readonly = (await s.createKey('acme', admin, 'readonly')).key
  })
  after(() => s.stop())

  const create = (body: unknown, token = admin) => s.request('POST', S, { token, body })
  const get = (name: string, opts: { token?: string; headers?: Record<string, string> } = {}) =>
    s.request('GET', `${S}/${name}`, { token: opts.token ?? admin, headers: opts.headers })
  const patch = (name: string, body: unknown, headers?: Record<string, string>) =>
    s.request('PATCH', `${S}/${name}`, { token: admin, body, headers })
  /** The secret once the sync controller has looked at it (its status no longer moves by itself). */
  const settled = (name: string) =>
    eventually(async () => {
      const r = await get(name)
      return r.body.status.phase !== 'Pending' ? r : undefined
    }, 15_000, `${name} settled`)

  test('create returns the definition, Pending, with an ETag; sync is echoed as sent', async () => {
    const sync = [
      { cluster: 'production', namespace: 'default' },
      { cluster: 'production', namespace: 'backend', secretName: 'database-credentials' },
    ]
    const r = await create({ name: 'db-password', secretPath: 'production/db-password', sync })
    assert.equal(r.status, 201)
    assert.equal(r.headers.get('etag'), `"${r.body.resourceVersion}"`)
    assert.match(r.body.resourceVersion, /^[0-9]+$/)
    assert.match(r.body.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    assert.deepEqual(
      { name: r.body.name, secretPath: r.body.secretPath, sync: r.body.sync },
      { name: 'db-password', secretPath: 'production/db-password', sync },
    )
    assert.equal(r.body.status.phase, 'Pending')
    assert.deepEqual(Object.keys(r.body).sort(), ['createdAt', 'name', 'resourceVersion', 'secretPath', 'status', 'sync'])
    const ready = r.body.status.conditions.find((c: { type: string }) => c.type === 'Ready')
    assert.equal(ready.status, 'False')
    assert.deepEqual(
      r.body.status.syncStatuses.map((x: Record<string, unknown>) => [x.cluster, x.namespace, x.secretName, x.phase, x.message]),
      [['production', 'default', 'db-password', 'Pending', ''], ['production', 'backend', 'database-credentials', 'Pending', '']],
    )
    for (const st of r.body.status.syncStatuses) assert.ok(!('lastSyncTime' in st) && !('sourceVersion' in st))
    assert.equal(r.headers.get('cache-control'), null, 'definitions hold no secret value')
  })

  test('sync is omitted when never set and [] once set empty', async () => {
    const none = await create({ name: 'no-sync', secretPath: 'a/b' })
    assert.equal(none.status, 201)
    assert.ok(!('sync' in none.body))
    assert.deepEqual(none.body.status.syncStatuses, [])
    const empty = await create({ name: 'empty-sync', secretPath: 'a/b', sync: [] })
    assert.deepEqual(empty.body.sync, [])
    assert.deepEqual((await get('empty-sync')).body.sync, [])
    assert.ok(!('sync' in (await get('no-sync')).body))
    const patched = await patch('no-sync', { sync: [] })
    assert.equal(patched.status, 200)
    assert.deepEqual(patched.body.sync, [])
    assert.notEqual(patched.body.resourceVersion, none.body.resourceVersion)
  })

  test('get answers If-None-Match with 304 in every accepted form', async () => {
    const created = await create({ name: 'cached', secretPath: 'c/d' })
    const current = await settled('cached')
    assert.equal(current.headers.get('etag'), `"${current.body.resourceVersion}"`)
    const rv = current.body.resourceVersion as string
    assert.ok(BigInt(rv) > BigInt(created.body.resourceVersion), 'a status change by the server is a new resourceVersion')
    for (const inm of [`"${rv}"`, rv, `W/"${rv}"`, `"1", "${rv}"`, '*']) {
      const r = await get('cached', { headers: { 'if-none-match': inm } })
      assert.equal(r.status, 304, inm)
      assert.equal(r.text, '')
      assert.equal(r.headers.get('etag'), `"${rv}"`)
    }
    const stale = await get('cached', { headers: { 'if-none-match': '"1"' } })
    assert.equal(stale.status, 200)
  })

  test('get errors: invalid name before lookup, then 404', async () => {
    for (const bad of ['A', 'a', 'x_y', '-ab', 'a'.repeat(64)]) {
      const r = await get(bad)
      assert.deepEqual([r.status, r.body], [400, { error: 'Invalid name' }], bad)
    }
    const r = await get('missing')
    assert.deepEqual([r.status, r.body], [404, { error: 'Secret not found' }])
  })

  test('create: field errors carry spec. fields and quote the request path', async () => {
    const cases: Array<[unknown, Record<string, string>]> = [
      [{ secretPath: 'a' }, coded('REQUIRED_FIELD', 'Missing required field "name"', 'spec.name')],
      [{ name: 'x1' }, coded('REQUIRED_FIELD', 'Missing required field "secretPath"', 'spec.secretPath')],
      [{ name: 'x1', secretPath: 'a', status: {} }, coded('UNKNOWN_FIELD', 'Unknown field "status"', 'spec.status')],
      [{ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c', namespace: 'n', extra: 1 }] }, coded('UNKNOWN_FIELD', 'Unknown field "sync[0].extra"', 'spec.sync[0].extra')],
      [{ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c' }] }, coded('REQUIRED_FIELD', 'Missing required field "sync[0].namespace"', 'spec.sync[0].namespace')],
    ]
    for (const [body, expected] of cases) {
      const r = await create(body)
      assert.deepEqual([r.status, r.body], [400, expected], JSON.stringify(body))
    }
    const invalid: Array<[unknown, string]> = [
      [{ name: 'X', secretPath: 'a' }, 'name'],
      [{ name: 'a'.repeat(64), secretPath: 'a' }, 'name'],
      [{ name: 'x1', secretPath: 'a//b' }, 'secretPath'],
      [{ name: 'x1', secretPath: 'a/' }, 'secretPath'],
      [{ name: 'x1', secretPath: 5 }, 'secretPath'],
      [{ name: 'x1', secretPath: 'a', sync: {} }, 'sync'],
      [{ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c', namespace: 'ok' }, { cluster: 'c', namespace: 'Bad_NS' }] }, 'sync[1].namespace'],
      [{ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c'.repeat(64), namespace: 'n' }] }, 'sync[0].cluster'],
      [{ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c', namespace: 'n', secretName: 'a..b' }] }, 'sync[0].secretName'],
    ]
    for (const [body, path] of invalid) {
      const r = await create(body)
      assert.equal(r.status, 400, JSON.stringify(body))
      assert.equal(r.body.code, 'INVALID_FIELD', JSON.stringify(body))
      assert.equal(r.body.field, `spec.${path}`)
      assert.ok(r.body.error.startsWith(`Invalid value for "${path}": `), r.body.error)
    }
    const ok = await create({ name: 'x1', secretPath: 'a', sync: [{ cluster: 'c', namespace: 'n', secretName: 'app.db-creds' }] })
    assert.equal(ok.status, 201, 'a one-character cluster and a subdomain secretName are valid')
  })

  test('create errors in order: too many targets, duplicate target, name taken', async () => {
    const target = (i: number) => ({ cluster: 'c', namespace: `ns-${i}` })
    const tooMany = await create({ name: 'many', secretPath: 'a', sync: Array.from({ length: 101 }, (_, i) => target(i === 100 ? 0 : i)) })
    assert.equal(tooMany.status, 400)
    assert.equal(tooMany.body.code, 'INVALID_FIELD')
    assert.equal(tooMany.body.field, 'spec.sync')
    const hundred = await create({ name: 'hundred', secretPath: 'a', sync: Array.from({ length: 100 }, (_, i) => target(i)) })
    assert.equal(hundred.status, 201)
    assert.equal(hundred.body.status.syncStatuses.length, 100)

    const dup = await create({
      name: 'hundred',
      secretPath: 'a',
      sync: [
        { cluster: 'prod', namespace: 'default' },
        { cluster: 'prod', namespace: 'default', secretName: 'other' },
        { cluster: 'prod', namespace: 'default', secretName: 'hundred' },
      ],
    })
    assert.deepEqual(
      [dup.status, dup.body],
      [400, coded('SYNC_TARGET_DUPLICATE', 'Duplicate sync target prod/default/hundred', 'spec.sync[2]')],
      'the effective secretName counts, and the later duplicate is named, before the name conflict',
    )
    const taken = await create({ name: 'hundred', secretPath: 'other/path' })
    assert.deepEqual([taken.status, taken.body], [409, { error: 'Secret name already exists' }])
  })

  test('a tenant may hold 1,000 secrets', async () => {
    const { key } = await s.createTenant('bigco')
    const db = s.server.container.db
    const tenant = await db.selectFrom('tenants').select('id').where('name', '=', 'bigco').executeTakeFirstOrThrow()
    const status = JSON.stringify({ phase: 'Synced', conditions: [], syncStatuses: [] })
    const rows = Array.from({ length: 999 }, (_, i) => ({
      id: `bulk-${i}`, tenant_id: tenant.id, name: `bulk-${i}`, secret_path: 'p', sync: null, generation: 1,
      resource_version: '1', created_at: new Date(), status,
    }))
    await db.insertInto('secrets').values(rows).execute()
    const last = await s.request('POST', '/api/v1/tenants/bigco/secrets', { token: key, body: { name: 'last', secretPath: 'p' } })
    assert.equal(last.status, 201)
    const over = await s.request('POST', '/api/v1/tenants/bigco/secrets', { token: key, body: { name: 'over', secretPath: 'p' } })
    assert.deepEqual([over.status, over.body], [400, coded('LIMIT_EXCEEDED', 'Limit reached: secrets per tenant (1000)')])
    const dup = await s.request('POST', '/api/v1/tenants/bigco/secrets', { token: key, body: { name: 'last', secretPath: 'p' } })
    assert.equal(dup.status, 409, 'a name conflict is reported before the limit')
  })

  test('patch replaces the whole target list; statuses follow sync order', async () => {
    const c = await create({ name: 'rotate', secretPath: 'p', sync: [{ cluster: 'a1', namespace: 'n' }, { cluster: 'b1', namespace: 'n' }] })
    const r = await patch('rotate', { sync: [{ cluster: 'c1', namespace: 'n' }, { cluster: 'a1', namespace: 'n' }] })
    assert.equal(r.status, 200)
    assert.equal(r.headers.get('etag'), `"${r.body.resourceVersion}"`)
    assert.ok(BigInt(r.body.resourceVersion) > BigInt(c.body.resourceVersion))
    assert.deepEqual(r.body.sync, [{ cluster: 'c1', namespace: 'n' }, { cluster: 'a1', namespace: 'n' }])
    assert.deepEqual(r.body.status.syncStatuses.map((x: { cluster: string }) => x.cluster), ['c1', 'a1'])
    assert.equal(r.body.name, 'rotate')
    assert.equal(r.body.secretPath, 'p')
  })

  test('a patch that changes nothing keeps the resourceVersion', async () => {
    await create({ name: 'steady', secretPath: 'p', sync: [{ cluster: 'a1', namespace: 'n', secretName: 's' }] })
    const before = await settled('steady')
    const r = await patch('steady', { sync: [{ namespace: 'n', secretName: 's', cluster: 'a1' }] })
    assert.equal(r.status, 200)
    assert.equal(r.headers.get('etag'), before.headers.get('etag'))
    assert.deepEqual(r.body, before.body)
  })

  test('patch accepts merge-patch+json', async () => {
    await create({ name: 'merge', secretPath: 'p' })
    const r = await s.request('PATCH', `${S}/merge`, {
      token: admin,
      rawBody: JSON.stringify({ sync: [{ cluster: 'c1', namespace: 'n' }] }),
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    assert.equal(r.status, 200)
    assert.equal(r.body.sync.length, 1)
  })

  test('patch errors in order: invalid name, body, 404, ETag', async () => {
    await create({ name: 'guarded', secretPath: 'p' })
    assert.deepEqual((await patch('Bad', { name: 'x' })).body, { error: 'Invalid name' })
    const cases: Array<[unknown, Record<string, string>]> = [
      [{}, coded('REQUIRED_FIELD', 'Missing required field "sync"', 'spec.sync')],
      [{ name: 'guarded', sync: [] }, coded('IMMUTABLE_FIELD', 'Field "name" cannot be changed', 'spec.name')],
      [{ sync: [], secretPath: 'p' }, coded('IMMUTABLE_FIELD', 'Field "secretPath" cannot be changed', 'spec.secretPath')],
      [{ sync: [], status: {} }, coded('UNKNOWN_FIELD', 'Unknown field "status"', 'spec.status')],
      [{ sync: [{ cluster: 'c', namespace: 'n', secretName: 'x' }, { cluster: 'c', namespace: 'n', secretName: 'x' }] }, coded('SYNC_TARGET_DUPLICATE', 'Duplicate sync target c/n/x', 'spec.sync[1]')],
    ]
    for (const [body, expected] of cases) {
      for (const name of ['guarded', 'missing']) {
        const r = await patch(name, body)
        assert.deepEqual([r.status, r.body], [400, expected], `${name} ${JSON.stringify(body)}`)
      }
    }
    const bad = await patch('guarded', { sync: [{ cluster: 'c', namespace: 'N' }] })
    assert.deepEqual([bad.body.code, bad.body.field], ['INVALID_FIELD', 'spec.sync[0].namespace'])
    assert.deepEqual((await patch('missing', { sync: [] })).body, { error: 'Secret not found' })
    assert.equal((await patch('missing', { sync: [] }, { 'if-match': '"1"' })).status, 404, '404 before 412')
    const mismatch = await patch('guarded', { sync: [] }, { 'if-match': '"1"' })
    assert.deepEqual([mismatch.status, mismatch.body], [412, { error: 'ETag mismatch' }])
    assert.ok(!('sync' in (await get('guarded')).body), 'nothing changed')
  })

  test('If-Match accepts every form on patch and delete', async () => {
    await create({ name: 'conditional', secretPath: 'p' })
    const forms = [(rv: string) => `"${rv}"`, (rv: string) => rv, (rv: string) => `W/"${rv}"`, () => '*', (rv: string) => `"0", "${rv}"`]
    for (const [i, form] of forms.entries()) {
      const rv = (await settled('conditional')).body.resourceVersion as string
      // Targets on clusters that do not exist settle as Failed, so the ETag stays put meanwhile.
      const sync = [{ cluster: 'nowhere', namespace: `n${i}` }]
      const r = await patch('conditional', { sync }, { 'if-match': form(rv) })
      assert.equal(r.status, 200, form(rv))
      assert.deepEqual(r.body.sync, sync)
      assert.notEqual(r.body.resourceVersion, rv)
    }
    const del = await s.request('DELETE', `${S}/conditional`, { token: admin, headers: { 'if-match': '"1"' } })
    assert.deepEqual([del.status, del.body], [412, { error: 'ETag mismatch' }])
    assert.equal((await get('conditional')).status, 200, 'nothing deleted')
    const rv = (await settled('conditional')).body.resourceVersion as string
    const gone = await s.request('DELETE', `${S}/conditional`, { token: admin, headers: { 'if-match': `W/"${rv}"` } })
    assert.equal(gone.status, 204)
    assert.equal((await get('conditional')).status, 404)
  })

  test('delete removes the definition; errors are invalid name, 404', async () => {
    await create({ name: 'short-lived', secretPath: 'p' })
    const r = await s.request('DELETE', `${S}/short-lived`, { token: admin })
    assert.equal(r.status, 204)
    assert.equal(r.text, '')
    assert.equal((await get('short-lived')).status, 404)
    const again = await s.request('DELETE', `${S}/short-lived`, { token: admin })
    assert.deepEqual([again.status, again.body], [404, { error: 'Secret not found' }])
    assert.deepEqual((await s.request('DELETE', `${S}/Bad`, { token: admin })).body, { error: 'Invalid name' })
    const reused = await create({ name: 'short-lived', secretPath: 'q' })
    assert.equal(reused.status, 201, 'the name is free again')
  })

  test('readonly may list and get but not create, patch or delete', async () => {
    await create({ name: 'visible', secretPath: 'p' })
    assert.equal((await s.request('GET', S, { token: readonly })).status, 200)
    assert.equal((await get('visible', { token: readonly })).status, 200)
    const denied = { error: 'Admin access required' }
    assert.deepEqual((await create({ name: 'nope', secretPath: 'p' }, readonly)).body, denied)
    assert.deepEqual((await s.request('PATCH', `${S}/visible`, { token: readonly, body: { sync: [] } })).body, denied)
    assert.deepEqual((await s.request('DELETE', `${S}/visible`, { token: readonly })).body, denied)
    assert.deepEqual((await s.request('DELETE', `${S}/Bad`, { token: readonly })).body, denied, 'role before path')
    const other = (await s.createTenant('globex')).key
    assert.deepEqual((await s.request('GET', S, { token: other })).body, { error: 'Not a member of this tenant' })
    assert.equal((await s.request('GET', S)).status, 401)
  })

  test('a suspended tenant keeps reading secrets but cannot change them', async () => {
    const { key } = await s.createTenant('paused')
    await s.request('POST', '/api/v1/tenants/paused/secrets', { token: key, body: { name: 'kept', secretPath: 'p' } })
    await s.request('POST', '/api/v1/admin/tenants/paused/suspend', { token: s.adminToken })
    const suspended = { error: 'Tenant suspended' }
    assert.deepEqual((await s.request('POST', '/api/v1/tenants/paused/secrets', { token: key, body: { name: 'new', secretPath: 'p' } })).body, suspended)
    assert.deepEqual((await s.request('PATCH', '/api/v1/tenants/paused/secrets/kept', { token: key, body: { sync: [] } })).body, suspended)
    assert.deepEqual((await s.request('DELETE', '/api/v1/tenants/paused/secrets/kept', { token: key })).body, suspended)
    assert.equal((await s.request('GET', '/api/v1/tenants/paused/secrets/kept', { token: key })).status, 200)
  })

  test('list: every secret by name in byte order; pagination with continue', async () => {
    const { key } = await s.createTenant('pager')
    for (const name of ['b-2', 'a1', 'b2', 'a-1', 'c0']) {
      const r = await s.request('POST', '/api/v1/tenants/pager/secrets', { token: key, body: { name, secretPath: `p/${name}` } })
      assert.equal(r.status, 201)
    }
    const all = await s.request('GET', '/api/v1/tenants/pager/secrets', { token: key })
    assert.deepEqual(Object.keys(all.body), ['items'])
    assert.deepEqual(all.body.items.map((i: { name: string }) => i.name), ['a-1', 'a1', 'b-2', 'b2', 'c0'])
    assert.equal(all.body.items[0].secretPath, 'p/a-1')
    assert.ok(all.body.items[0].status)

    const seen: string[] = []
    let query = '?limit=2'
    let pages = 0
    for (;;) {
      const r = await s.request('GET', `/api/v1/tenants/pager/secrets${query}`, { token: key })
      pages++
      seen.push(...r.body.items.map((i: { name: string }) => i.name))
      if (!r.body.continue) break
      query = `?limit=2&continue=${r.body.continue}`
    }
    assert.deepEqual([seen, pages], [['a-1', 'a1', 'b-2', 'b2', 'c0'], 3])

    await s.request('PUT', '/api/v1/tenants/pager/vault/a', { token: key, body: { data: {} } })
    await s.request('PUT', '/api/v1/tenants/pager/vault/b', { token: key, body: { data: {} } })
    const vaultToken = (await s.request('GET', '/api/v1/tenants/pager/vault?limit=1', { token: key })).body.continue
    assert.ok(vaultToken)
    const foreign = await s.request('GET', `/api/v1/tenants/pager/secrets?continue=${vaultToken}`, { token: key })
    assert.deepEqual([foreign.status, foreign.body], [400, { error: 'Invalid continue token' }])
    assert.deepEqual((await s.request('GET', '/api/v1/tenants/pager/secrets?limit=x', { token: key })).body, { error: 'Invalid limit' })
    const { key: emptyKey } = await s.createTenant('nosecrets')
    assert.deepEqual((await s.request('GET', '/api/v1/tenants/nosecrets/secrets', { token: emptyKey })).body, { items: [] })
  })
})

function coded(code: string, message: string, field?: string): Record<string, string> {
  return { error: message, code, severity: 'error', message, ...(field !== undefined ? { field } : {}) }
}
