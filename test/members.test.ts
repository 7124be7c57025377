import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { issueApiKey } from '../src/domain/apikeys/apikey-service.js'
import { insertMember } from '../src/store/members.js'
import { findTenantByName } from '../src/store/tenants.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

describe('members (spec §5.6, §2.3)', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer()
  })
  after(() => s.stop())

  const base = (t: string) => `/api/v1/tenants/${t}/members`
  const add = (t: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    s.request('POST', base(t), { token, body, headers })
  const setRole = (t: string, token: string, email: string, role: string, headers: Record<string, string> = {}) =>
    s.request('PATCH', `${base(t)}/${email}`, { token, body: { role }, headers })
  const remove = (t: string, token: string, email: string, headers: Record<string, string> = {}) =>
    s.request('DELETE', `${base(t)}/${email}`, { token, headers })
  const tenantEtag = async (t: string, token: string) => (await s.request('GET', `/api/v1/tenants/${t}`, { token })).headers.get('etag')

  /** A key as a person would create it after signing in (§2.2): createdBy is their email. */
  async function keyCreatedBy(tenant: string, email: string, role: 'admin' | 'readonly'): Promise<string> {
    const { db, clock, keys } = s.server.container
    const t = await findTenantByName(db, tenant)
    const created = await issueApiKey({ keys }, db, { tenantId: t!.id, displayName: `${email} key`, role, createdBy: email, now: clock.now() })
    return created.key
  }

  test('adding a member lowercases the email, answers 201 with the tenant ETag, and lists members by email', async () => {
    const { key } = await s.createTenant('acme', { owner: 'owner@acme.com' })
    const before = await tenantEtag('acme', key)
    const r = await add('acme', key, { email: 'Bob@Acme.COM', role: 'readonly' })
    assert.equal(r.status, 201)
    assert.deepEqual(r.body, { email: 'bob@acme.com', role: 'readonly' })
    const etag = r.headers.get('etag')
    assert.notEqual(etag, before)
    assert.equal(await tenantEtag('acme', key), etag, 'the ETag is the tenant\'s new one')
    await add('acme', key, { email: 'alice@acme.com', role: 'admin' })

    const ro = await s.createKey('acme', key, 'readonly')
    const all = await s.request('GET', base('acme'), { token: ro.key })
    assert.equal(all.status, 200)
    assert.deepEqual(all.body, { items: [
      { email: 'alice@acme.com', role: 'admin' }, { email: 'bob@acme.com', role: 'readonly' }, { email: 'owner@acme.com', role: 'admin' },
    ] })
    const tenant = await s.request('GET', '/api/v1/tenants/acme', { token: ro.key })
    assert.deepEqual(tenant.body.members, all.body.items)

    const p1 = await s.request('GET', `${base('acme')}?limit=2`, { token: key })
    assert.deepEqual(p1.body.items.map((m: { email: string }) => m.email), ['alice@acme.com', 'bob@acme.com'])
    const p2 = await s.request('GET', `${base('acme')}?limit=2&continue=${p1.body.continue}`, { token: key })
    assert.deepEqual(p2.body, { items: [{ email: 'owner@acme.com', role: 'admin' }] })
    assert.deepEqual((await s.request('GET', `${base('acme')}?continue=bogus`, { token: key })).body, { error: 'Invalid continue token' })
    assert.deepEqual((await add('acme', ro.key, { email: 'x@acme.com', role: 'admin' })).body, { error: 'Admin access required' })
  })

  test('POST errors in order: body, 412, 409 (compared lowercased)', async () => {
    const { key } = await s.createTenant('globex')
    const bad = await add('globex', key, { email: 'not-an-email', role: 'admin' })
    assert.deepEqual([bad.status, bad.body.code, bad.body.field], [400, 'INVALID_FIELD', 'email'])
    assert.deepEqual((await add('globex', key, { email: 'a@globex.com' })).body.field, 'role')
    assert.equal((await add('globex', key, { email: 'a@globex.com', role: 'owner' })).body.code, 'INVALID_FIELD')
    assert.equal((await add('globex', key, { email: 'a@globex.com', role: 'admin', name: 'A' })).body.code, 'UNKNOWN_FIELD')

    const etag = (await tenantEtag('globex', key))!
    assert.equal((await add('globex', key, { email: 'a@globex.com', role: 'admin' }, { 'if-match': etag })).status, 201)
    // The member exists now and the ETag is stale: 412 is decided first.
    const stale = await add('globex', key, { email: 'a@globex.com', role: 'admin' }, { 'if-match': etag })
    assert.deepEqual([stale.status, stale.body], [412, { error: 'ETag mismatch' }])
    const dup = await add('globex', key, { email: 'A@GLOBEX.com', role: 'readonly' })
    assert.deepEqual([dup.status, dup.body], [409, { error: 'Member already exists' }])
  })

  test('a tenant holds at most 1,000 members', async () => {
    const { key } = await s.createTenant('initech')
    const { db } = s.server.container
    const t = (await findTenantByName(db, 'initech'))!
    for (let i = 1; i < 1000; i++) await insertMember(db, t.id, `user${String(i).padStart(4, '0')}@initech.com`, 'readonly', new Date())
    const r = await add('initech', key, { email: 'one-too-many@initech.com', role: 'readonly' })
    assert.equal(r.status, 400)
    assert.deepEqual(r.body, { error: 'Limit reached: members per tenant (1000)', code: 'LIMIT_EXCEEDED', severity: 'error', message: 'Limit reached: members per tenant (1000)' })
  })

  test('changing a role: percent-encoded, case-insensitive path, no-op keeps the ETag, errors in order', async () => {
    const { key } = await s.createTenant('hooli', { owner: 'gavin@hooli.com' })
    await add('hooli', key, { email: 'richard@hooli.com', role: 'readonly' })
    const up = await setRole('hooli', key, 'Richard%40Hooli.com', 'admin')
    assert.equal(up.status, 200)
    assert.deepEqual(up.body, { email: 'richard@hooli.com', role: 'admin' })
    assert.equal(up.headers.get('etag'), await tenantEtag('hooli', key))
    const same = await setRole('hooli', key, 'richard@hooli.com', 'admin')
    assert.deepEqual([same.status, same.headers.get('etag')], [200, up.headers.get('etag')])

    assert.deepEqual((await setRole('hooli', key, 'richard', 'admin')).body, { error: 'Invalid email' })
    assert.deepEqual((await setRole('hooli', key, 'nobody@hooli.com', 'admin', { 'if-match': '"1"' })).body, { error: 'ETag mismatch' })
    const missing = await setRole('hooli', key, 'nobody@hooli.com', 'admin')
    assert.deepEqual([missing.status, missing.body], [404, { error: 'Member not found' }])
    const merge = await s.request('PATCH', `${base('hooli')}/richard@hooli.com`, {
      token: key, rawBody: '{"role":"readonly"}', headers: { 'content-type': 'application/merge-patch+json' },
    })
    assert.equal(merge.status, 200)
    const last = await setRole('hooli', key, 'gavin@hooli.com', 'readonly')
    assert.deepEqual(last.body, { error: 'Cannot remove or demote the last admin', code: 'LAST_ADMIN', severity: 'error', message: 'Cannot remove or demote the last admin', field: 'role' })
    assert.equal((await s.request('PATCH', `${base('hooli')}/richard@hooli.com`, { token: key, body: {} })).body.code, 'REQUIRED_FIELD')
  })

  test('removing: 204 with the tenant ETag, 412 before 404, LAST_ADMIN, allowed on a suspended tenant', async () => {
    const { key } = await s.createTenant('soylent', { owner: 'boss@soylent.com' })
    await add('soylent', key, { email: 'temp@soylent.com', role: 'readonly' })
    await add('soylent', key, { email: 'dana@soylent.com', role: 'readonly' })
    const r = await remove('soylent', key, 'temp%40soylent.com')
    assert.equal(r.status, 204)
    assert.equal(r.text, '')
    assert.equal(r.headers.get('etag'), await tenantEtag('soylent', key))
    assert.deepEqual((await remove('soylent', key, 'temp@soylent.com', { 'if-match': '"1"' })).body, { error: 'ETag mismatch' })
    assert.deepEqual((await remove('soylent', key, 'temp@soylent.com')).body, { error: 'Member not found' })

    // dana signs in and makes a key: as an admin key, it may remove the one admin member but for LAST_ADMIN.
    const danaKey = await keyCreatedBy('soylent', 'dana@soylent.com', 'admin')
    const lastAdmin = await remove('soylent', danaKey, 'boss@soylent.com')
    assert.deepEqual(lastAdmin.body, { error: 'Cannot remove or demote the last admin', code: 'LAST_ADMIN', severity: 'error', message: 'Cannot remove or demote the last admin' })

    assert.equal((await s.request('POST', '/api/v1/admin/tenants/soylent/suspend', { token: s.adminToken })).status, 200)
    assert.deepEqual((await add('soylent', key, { email: 'z@soylent.com', role: 'admin' })).body, { error: 'Tenant suspended' })
    assert.deepEqual((await setRole('soylent', key, 'dana@soylent.com', 'admin')).body, { error: 'Tenant suspended' })
    assert.equal((await remove('soylent', key, 'dana@soylent.com')).status, 204)
  })

  test('"Cannot remove yourself" follows createdBy through keys created by keys (§2.3)', async () => {
    const { key: ownerKey } = await s.createTenant('tyrell', { owner: 'eldon@tyrell.com' })
    await add('tyrell', ownerKey, { email: 'rachael@tyrell.com', role: 'admin' })
    const self = await remove('tyrell', ownerKey, 'eldon@tyrell.com')
    assert.deepEqual([self.status, self.body], [400, { error: 'Cannot remove yourself' }])
    const child = await s.createKey('tyrell', ownerKey, 'admin')
    const grandchild = await s.createKey('tyrell', child.key, 'admin')
    assert.deepEqual((await remove('tyrell', grandchild.key, 'Eldon@tyrell.com')).body, { error: 'Cannot remove yourself' })

    // Rachael's key chain ends at rachael: she may remove eldon (another admin remains).
    const rachaelKey = await keyCreatedBy('tyrell', 'rachael@tyrell.com', 'admin')
    const viaRachael = (await s.createKey('tyrell', rachaelKey, 'admin')).key
    assert.deepEqual((await remove('tyrell', viaRachael, 'rachael@tyrell.com')).body, { error: 'Cannot remove yourself' })
    assert.equal((await remove('tyrell', viaRachael, 'eldon@tyrell.com')).status, 204)
    // Eldon's keys were not revoked and still work.
    assert.equal((await s.request('GET', '/api/v1/tenants/tyrell', { token: grandchild.key })).status, 200)
    assert.equal((await add('tyrell', grandchild.key, { email: 'eldon@tyrell.com', role: 'admin' })).status, 201)
    // Eldon is a member again, so the chain ending at him is his identity again.
    assert.deepEqual((await remove('tyrell', grandchild.key, 'eldon@tyrell.com')).body, { error: 'Cannot remove yourself' })
  })

  test('removing a member revokes the cluster credentials they created, not their API keys; demotion revokes admin ones', async () => {
    const { key: ownerKey } = await s.createTenant('wonka', { owner: 'willy@wonka.com' })
    await add('wonka', ownerKey, { email: 'charlie@wonka.com', role: 'admin' })
    await add('wonka', ownerKey, { email: 'grandpa@wonka.com', role: 'admin' })
    const created = await s.request('POST', '/api/v1/tenants/wonka/clusters', { token: ownerKey, body: { name: 'factory' } })
    assert.equal(created.status, 201, created.text)
    await eventually(async () => {
      const c = await s.request('GET', '/api/v1/tenants/wonka/clusters/factory', { token: ownerKey })
      return c.body.status.phase === 'Running' ? true : undefined
    }, 20_000, 'cluster Running')
    const creds = '/api/v1/tenants/wonka/clusters/factory/credentials'
    const issue = async (token: string, role: string) => {
      const r = await s.request('POST', creds, { token, body: { role } })
      assert.equal(r.status, 201, r.text)
      return r.body.id as string
    }
    const charlieKey = await keyCreatedBy('wonka', 'charlie@wonka.com', 'admin')
    const charlieChild = (await s.createKey('wonka', charlieKey, 'admin')).key
    const grandpaKey = await keyCreatedBy('wonka', 'grandpa@wonka.com', 'admin')
    const ownerCred = await issue(ownerKey, 'admin')
    const charlieCreds = [await issue(charlieKey, 'admin'), await issue(charlieChild, 'readonly')]
    const grandpaAdmin = await issue(grandpaKey, 'admin')
    const grandpaReadonly = await issue(grandpaKey, 'readonly')
    const live = async () => ((await s.request('GET', creds, { token: ownerKey })).body.items as Array<{ id: string }>).map((c) => c.id).sort()
    assert.deepEqual(await live(), [ownerCred, ...charlieCreds, grandpaAdmin, grandpaReadonly].sort())

    assert.equal((await remove('wonka', ownerKey, 'charlie@wonka.com')).status, 204)
    assert.deepEqual(await live(), [ownerCred, grandpaAdmin, grandpaReadonly].sort())
    assert.equal((await s.request('GET', '/api/v1/tenants/wonka', { token: charlieKey })).status, 200, 'API keys are not revoked')

    assert.equal((await setRole('wonka', ownerKey, 'grandpa@wonka.com', 'readonly')).status, 200)
    assert.deepEqual(await live(), [ownerCred, grandpaReadonly].sort())
  })
})
