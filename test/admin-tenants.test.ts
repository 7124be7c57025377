import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

describe('platform admin bootstrap', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer()
  })
  after(() => s.stop())

  test('creating a tenant makes the owner its first admin and returns an admin key once', async () => {
    const r = await s.request('POST', '/api/v1/admin/tenants', {
      token: s.adminToken,
      body: { name: 'acme', contactEmail: 'Billing@Acme.com', owner: 'Alice@Acme.com', plan: 'pro' },
    })
    assert.equal(r.status, 201)
    assert.equal(r.headers.get('cache-control'), 'no-store')
    assert.deepEqual(r.body.members, [{ email: 'alice@acme.com', role: 'admin' }])
    assert.equal(r.body.contactEmail, 'billing@acme.com')
    assert.equal(r.body.apiKey.role, 'admin')
    assert.match(r.body.apiKey.key, /^kupe_[0-9a-f]{8}_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/)
    const key = r.body.apiKey.key as string

    const t = await s.request('GET', '/api/v1/tenants/acme', { token: key })
    assert.equal(t.status, 200)
    assert.equal(t.headers.get('etag'), `"${t.body.resourceVersion}"`)
    assert.equal(t.body.status.phase, 'Active')
    const keys = await s.request('GET', '/api/v1/tenants/acme/apikeys', { token: key })
    assert.equal(keys.body.items[0].createdBy, 'alice@acme.com')
  })

  test('a second tenant of the same name is a conflict', async () => {
    const r = await s.request('POST', '/api/v1/admin/tenants', {
      token: s.adminToken,
      body: { name: 'acme', contactEmail: 'x@acme.com', owner: 'x@acme.com' },
    })
    assert.equal(r.status, 409)
  })

  test('a malformed tenant name is 400 before any lookup; suspend and resume take no fields', async () => {
    for (const [method, path] of [['GET', 'BAD_'], ['DELETE', 'x'], ['POST', 'Acme/suspend']] as const) {
      const r = await s.request(method, `/api/v1/admin/tenants/${path}`, { token: s.adminToken })
      assert.deepEqual([r.status, r.body], [400, { error: 'Invalid tenant name' }], `${method} ${path}`)
    }
    assert.equal((await s.request('GET', '/api/v1/admin/tenants/no-such', { token: s.adminToken })).status, 404)
    const extra = await s.request('POST', '/api/v1/admin/tenants/acme/resume', { token: s.adminToken, body: { now: true } })
    assert.deepEqual([extra.status, extra.body.code, extra.body.field], [400, 'UNKNOWN_FIELD', 'now'])
    assert.equal((await s.request('POST', '/api/v1/admin/tenants/acme/resume', { token: s.adminToken, body: {} })).status, 200)
  })

  test('tenant keys never work on admin routes and the admin token never works on tenant routes', async () => {
    const { key } = await s.createTenant('globex')
    const asTenant = await s.request('GET', '/api/v1/admin/tenants', { token: key })
    assert.equal(asTenant.status, 403)
    const asAdmin = await s.request('GET', '/api/v1/tenants/globex', { token: s.adminToken })
    assert.equal(asAdmin.status, 403)
    assert.deepEqual(asAdmin.body, { error: 'Not a member of this tenant' })
  })

  test('suspending makes a tenant read-only; resuming restores writes', async () => {
    const { key } = await s.createTenant('initech')
    const sus = await s.request('POST', '/api/v1/admin/tenants/initech/suspend', { token: s.adminToken })
    assert.equal(sus.status, 200)
    assert.equal(sus.body.status.phase, 'Suspended')
    assert.equal((await s.request('GET', '/api/v1/tenants/initech', { token: key })).status, 200)
    const write = await s.request('POST', '/api/v1/tenants/initech/apikeys', { token: key, body: { displayName: 'x', role: 'admin' } })
    assert.deepEqual([write.status, write.body], [403, { error: 'Tenant suspended' }])
    await s.request('POST', '/api/v1/admin/tenants/initech/resume', { token: s.adminToken })
    const again = await s.request('POST', '/api/v1/tenants/initech/apikeys', { token: key, body: { displayName: 'x', role: 'admin' } })
    assert.equal(again.status, 201)
  })

  test('deleting a tenant makes its keys stop working', async () => {
    const { key } = await s.createTenant('umbrella')
    const r = await s.request('DELETE', '/api/v1/admin/tenants/umbrella', { token: s.adminToken })
    assert.deepEqual([r.status, r.body.status.phase], [202, 'Deleting'])
    await eventually(async () => ((await s.request('GET', '/api/v1/admin/tenants/umbrella', { token: s.adminToken })).status === 404 ? true : undefined), 10_000, 'umbrella gone')
    // Its own routes tell the key the tenant is gone (decision 0029); it authenticates nowhere.
    assert.deepEqual((await s.request('GET', '/api/v1/tenants/umbrella', { token: key })).body, { error: 'Tenant not found' })
    assert.equal((await s.request('POST', '/api/v1/tenants/umbrella/apikeys', { token: key, body: { displayName: 'x', role: 'admin' } })).status, 404)
    assert.equal((await s.request('GET', '/api/v1/tenants/globex', { token: key })).status, 401)
  })
})
