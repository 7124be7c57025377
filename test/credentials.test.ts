import assert from 'node:assert/strict'
import { randomUUID, X509Certificate } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parse } from 'yaml'
import { openClusterCa } from '../src/domain/clusters/cluster-ca.js'
import { verifyClusterCredential } from '../src/domain/credentials/verify-credential.js'
import { findClusterById } from '../src/store/clusters.js'
import { findCredential, insertCredential } from '../src/store/credentials.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

const TOKEN = /^kupec_[0-9a-f]{8}_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/
const seconds = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000

/** Connection details, YAML kubeconfig and cluster credentials (spec §5.3, §6.3). */
describe('cluster connection and credentials', () => {
  let s: TestServer
  let admin: string
  let adminKeyId: string
  let ro: { key: string; id: string }
  before(async () => {
    s = await startTestServer()
    const owner = await s.createTenant('acme')
    admin = owner.key
    adminKeyId = owner.keyId
    ro = await s.createKey('acme', admin, 'readonly')
    for (const name of ['production', 'staging']) {
      const r = await s.request('POST', '/api/v1/tenants/acme/clusters', { token: admin, body: { name } })
      assert.equal(r.status, 201)
    }
    for (const name of ['production', 'staging']) {
      await eventually(async () => {
        const r = await s.request('GET', `/api/v1/tenants/acme/clusters/${name}`, { token: admin })
        return r.body.status.phase === 'Running' ? true : undefined
      })
    }
  })
  after(() => s.stop())

  const base = (cluster: string) => `/api/v1/tenants/acme/clusters/${cluster}`
  const issue = (token: string, body?: unknown, cluster = 'production', headers?: Record<string, string>) =>
    s.request('POST', `${base(cluster)}/credentials`, { token, body, headers })
  const listIds = async (token: string, cluster = 'production') =>
    (await s.request('GET', `${base(cluster)}/credentials`, { token })).body.items.map((c: { id: string }) => c.id) as string[]
  const revoke = (token: string, id: string, cluster = 'production') => s.request('DELETE', `${base(cluster)}/credentials/${id}`, { token })
  const expectError = (r: TestResponse, status: number, body: Record<string, unknown>) => {
    assert.equal(r.status, status, r.text)
    assert.deepEqual(r.body, body)
  }
  const verify = (token: string) => verifyClusterCredential(s.server.container, token)

  test('connection details: the endpoint and a real CA certificate, the same on every call', async () => {
    const r = await s.request('GET', `${base('production')}/kubeconfig`, { token: ro.key })
    assert.equal(r.status, 200)
    assert.deepEqual(Object.keys(r.body).sort(), ['certificateAuthority', 'endpoint'])
    assert.match(r.headers.get('content-type')!, /^application\/json; charset=utf-8/)
    const cluster = await s.request('GET', base('production'), { token: admin })
    assert.equal(r.body.endpoint, cluster.body.status.endpoint)
    const pem = Buffer.from(r.body.certificateAuthority, 'base64').toString('utf8')
    const ca = new X509Certificate(pem)
    assert.equal(ca.ca, true)
    assert.equal(ca.verify(ca.publicKey), true)
    const again = await s.request('GET', `${base('production')}/kubeconfig?format=json`, { token: admin })
    assert.equal(again.body.certificateAuthority, r.body.certificateAuthority)
    const other = await s.request('GET', `${base('staging')}/kubeconfig`, { token: admin })
    assert.notEqual(other.body.certificateAuthority, r.body.certificateAuthority, 'each cluster has its own CA')
  })

  test('the CA private key is stored only encrypted', async () => {
    const row = (await s.server.container.db.selectFrom('clusters').selectAll().where('name', '=', 'production').executeTakeFirst())!
    const stored = JSON.stringify([row.controller_state, row.provider_state])
    assert.ok(!stored.includes('PRIVATE KEY'))
    assert.ok(row.controller_state.ca, 'the controller keeps the CA')
    const ca = openClusterCa(s.server.container.keys, row.id, row.controller_state.ca)
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/)
    const cert = new X509Certificate(ca.certPem)
    assert.equal(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(ca.keyPem)), true)
    assert.throws(() => openClusterCa(s.server.container.keys, randomUUID(), row.controller_state.ca!), 'the key opens only for its own cluster')
  })

  test('kubeconfig errors: name, format, existence, readiness', async () => {
    expectError(await s.request('GET', `${base('Nope')}/kubeconfig`, { token: admin }), 400, { error: 'Invalid name' })
    expectError(await s.request('GET', `${base('production')}/kubeconfig?format=xml`, { token: admin }), 400, { error: 'Invalid format' })
    expectError(await s.request('GET', `${base('missing')}/kubeconfig`, { token: admin }), 404, { error: 'Cluster not found' })
    expectError(await s.request('GET', `${base('missing')}/kubeconfig?format=yaml`, { token: admin }), 404, { error: 'Cluster not found' })
    const other = await s.createTenant('globex')
    expectError(await s.request('GET', `${base('production')}/kubeconfig`, { token: other.key }), 403, { error: 'Not a member of this tenant' })
    expectError(await s.request('GET', `${base('production')}/kubeconfig`), 401, { error: 'Missing or invalid authentication' })
    const fresh = await s.request('POST', '/api/v1/tenants/acme/clusters', { token: admin, body: { name: 'fresh' } })
    assert.equal(fresh.status, 201)
    expectError(await s.request('GET', `${base('fresh')}/kubeconfig`, { token: admin }), 503, { error: 'Cluster is not yet ready' })
    expectError(await s.request('GET', `${base('fresh')}/kubeconfig?format=yaml`, { token: admin }), 503, { error: 'Cluster is not yet ready' })
    expectError(await issue(admin, undefined, 'fresh'), 503, { error: 'Cluster is not yet ready' })
    assert.deepEqual(await listIds(admin, 'fresh'), [], 'a refused kubeconfig issues no credential')
  })

  test('YAML kubeconfig: exact shape, a new 8-hour credential of the caller\'s role, no-store', async () => {
    const r = await s.request('GET', `${base('production')}/kubeconfig?format=yaml`, { token: ro.key })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.headers.get('content-type'), 'application/yaml; charset=utf-8')
    assert.equal(r.headers.get('cache-control'), 'no-store')
    const credentialId = r.headers.get('kupe-credential-id')!
    assert.match(credentialId, /^cc-[0-9a-f]{8}$/)
    const doc = parse(r.text)
    const conn = await s.request('GET', `${base('production')}/kubeconfig`, { token: ro.key })
    const name = 'kupe-acme-production'
    const token = doc.users[0].user.token as string
    assert.match(token, TOKEN)
    assert.equal(token.slice(6, 14), credentialId.slice(3))
    assert.deepEqual(doc, {
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name, cluster: { server: conn.body.endpoint, 'certificate-authority-data': conn.body.certificateAuthority } }],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    })
    assert.match(r.text, /^apiVersion: v1\nkind: Config\nclusters:\n- name: kupe-acme-production\n/)
    const listed = (await s.request('GET', `${base('production')}/credentials`, { token: admin })).body.items
      .find((c: { id: string }) => c.id === credentialId)
    assert.equal(listed.role, 'readonly')
    assert.equal(listed.createdBy, `apikey:${ro.id}`)
    assert.equal(seconds(listed.createdAt, listed.expiresAt), 28_800)
    assert.equal((await verify(token))?.credential.id, credentialId)
    const asAdmin = await s.request('GET', `${base('production')}/kubeconfig?format=yaml`, { token: admin })
    const adminCred = (await s.request('GET', `${base('production')}/credentials`, { token: admin })).body.items
      .find((c: { id: string }) => c.id === asAdmin.headers.get('kupe-credential-id'))
    assert.equal(adminCred.role, 'admin')
  })

  test('issue: defaults, ttl, role not above the caller\'s, token shown once and stored only as an HMAC', async () => {
    const r = await issue(admin)
    assert.equal(r.status, 201, r.text)
    assert.equal(r.headers.get('cache-control'), 'no-store')
    assert.deepEqual(Object.keys(r.body).sort(), ['certificateAuthority', 'createdAt', 'createdBy', 'endpoint', 'expiresAt', 'id', 'role', 'token'])
    assert.match(r.body.id, /^cc-[0-9a-f]{8}$/)
    assert.match(r.body.token, TOKEN)
    assert.equal(r.body.role, 'admin')
    assert.equal(seconds(r.body.createdAt, r.body.expiresAt), 28_800)
    const conn = await s.request('GET', `${base('production')}/kubeconfig`, { token: admin })
    assert.equal(r.body.endpoint, conn.body.endpoint)
    assert.equal(r.body.certificateAuthority, conn.body.certificateAuthority)
    const row = (await findCredential(s.server.container.db, r.body.id))!
    assert.equal(row.token_hmac, s.server.container.keys.hmac(r.body.token))
    assert.ok(!JSON.stringify(row).includes(r.body.token.slice(15)))
    assert.deepEqual([row.created_by, row.creator_key_id, r.body.createdBy], [`apikey:${adminKeyId}`, adminKeyId, `apikey:${adminKeyId}`])
    const listed = (await s.request('GET', `${base('production')}/credentials`, { token: admin })).body.items
    assert.ok(listed.every((c: object) => !('token' in c) && !('endpoint' in c)))
    assert.ok(s.logs.every((l) => !l.includes(r.body.token)), 'tokens never reach the logs')

    const short = await issue(ro.key, { ttlSeconds: 60 }, 'production', { 'content-type': 'application/json; charset=utf-8' })
    assert.equal(short.status, 201)
    assert.equal(short.body.role, 'readonly')
    assert.equal(short.body.createdBy, `apikey:${ro.id}`)
    assert.equal(seconds(short.body.createdAt, short.body.expiresAt), 60)
    assert.equal((await issue(admin, { role: 'readonly', ttlSeconds: 2_592_000 })).body.role, 'readonly')

    expectError(await issue(ro.key, { role: 'admin' }), 403, { error: 'Admin access required' })
    expectError(await issue(ro.key, { role: 'admin' }, 'missing'), 403, { error: 'Admin access required' })
    expectError(await issue(admin, {}, 'missing'), 404, { error: 'Cluster not found' })
    expectError(await issue(admin, {}, 'Bad'), 400, { error: 'Invalid name' })
    const tooShort = await issue(admin, { ttlSeconds: 59 })
    assert.deepEqual([tooShort.status, tooShort.body.code, tooShort.body.field], [400, 'INVALID_FIELD', 'ttlSeconds'])
    const tooLong = await issue(admin, { ttlSeconds: 2_592_001 })
    assert.deepEqual([tooLong.body.code, tooLong.body.field], ['INVALID_FIELD', 'ttlSeconds'])
    const unknown = await issue(admin, { scope: 'all' })
    assert.deepEqual([unknown.body.code, unknown.body.field], ['UNKNOWN_FIELD', 'scope'])
    expectError(await s.request('POST', `${base('production')}/credentials`, { token: admin, rawBody: 'null', headers: { 'content-type': 'application/json' } }), 400,
      { error: 'Request body must be a JSON object' })
  })

  test('a credential never outlives the API key that created it', async () => {
    const soon = new Date(Date.now() + 3600_000)
    soon.setUTCMilliseconds(0)
    const shortKey = await s.createKey('acme', admin, 'admin', { expiresAt: soon.toISOString().replace('.000Z', 'Z') })
    const r = await issue(shortKey.key, { ttlSeconds: 86_400 })
    assert.equal(r.status, 201)
    assert.equal(r.body.expiresAt, soon.toISOString().replace('.000Z', 'Z'))
    const fromYaml = await s.request('GET', `${base('production')}/kubeconfig?format=yaml`, { token: shortKey.key })
    const listed = (await s.request('GET', `${base('production')}/credentials`, { token: admin })).body.items
      .find((c: { id: string }) => c.id === fromYaml.headers.get('kupe-credential-id'))
    assert.ok(Date.parse(listed.expiresAt) <= soon.getTime())
  })

  test('list: live credentials only, by createdAt then id, paged', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await issue(admin, undefined, 'staging')).body.id)
    const all = await s.request('GET', `${base('staging')}/credentials`, { token: ro.key })
    assert.equal(all.status, 200)
    const sorted = [...all.body.items].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1))
    assert.deepEqual(all.body.items, sorted)
    assert.deepEqual(new Set(all.body.items.map((c: { id: string }) => c.id)), new Set(ids))
    const page1 = await s.request('GET', `${base('staging')}/credentials?limit=2`, { token: admin })
    assert.equal(page1.body.items.length, 2)
    const page2 = await s.request('GET', `${base('staging')}/credentials?limit=2&continue=${page1.body.continue}`, { token: admin })
    assert.deepEqual([...page1.body.items, ...page2.body.items].map((c: { id: string }) => c.id), all.body.items.map((c: { id: string }) => c.id))
    assert.ok(!('continue' in page2.body))
    // Revoked and expired credentials leave the list.
    assert.equal((await revoke(admin, ids[0]!, 'staging')).status, 204)
    await s.server.container.db.updateTable('cluster_credentials').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', ids[1]!).execute()
    assert.deepEqual(await listIds(admin, 'staging'), [ids[2]])
    expectError(await s.request('GET', `${base('missing')}/credentials`, { token: admin }), 404, { error: 'Cluster not found' })
    expectError(await s.request('GET', `${base('staging')}/credentials?limit=1001`, { token: admin }), 400, { error: 'Invalid limit' })
    expectError(await revoke(admin, ids[1]!, 'staging'), 404, { error: 'Credential not found' })
  })

  test('revoke: admin any, readonly only its own; 404 for revoked or another cluster\'s', async () => {
    const mine = (await issue(ro.key)).body
    const theirs = (await issue(admin, { role: 'readonly' })).body
    const elsewhere = (await issue(admin, undefined, 'staging')).body
    expectError(await revoke(ro.key, 'cc-xyz'), 400, { error: 'Invalid credential ID format' })
    expectError(await revoke(ro.key, theirs.id, 'Bad'), 400, { error: 'Invalid name' })
    expectError(await revoke(ro.key, theirs.id, 'missing'), 404, { error: 'Cluster not found' })
    expectError(await revoke(admin, elsewhere.id), 404, { error: 'Credential not found' })
    expectError(await revoke(admin, 'cc-00000000'), 404, { error: 'Credential not found' })
    expectError(await revoke(ro.key, theirs.id), 403, { error: 'Admin access required' })
    assert.equal((await revoke(ro.key, mine.id)).status, 204)
    expectError(await revoke(ro.key, mine.id), 404, { error: 'Credential not found' })
    assert.equal(await verify(mine.token), undefined, 'revocation is immediate')
    assert.ok((await verify(theirs.token)) !== undefined)
    assert.equal((await revoke(admin, theirs.id)).status, 204)
    assert.equal(await verify(theirs.token), undefined)
    assert.equal((await revoke(admin, elsewhere.id, 'staging')).status, 204)
  })

  test('credentials are cluster tokens only: the tenant API answers 401', async () => {
    const cred = (await issue(admin)).body
    expectError(await s.request('GET', '/api/v1/tenants/acme', { token: cred.token }), 401, { error: 'Missing or invalid authentication' })
  })

  test('verification: checksum, HMAC, expiry, the creating key, the cluster', async () => {
    const key = await s.createKey('acme', admin, 'admin')
    const cred = (await issue(key.key, { role: 'readonly' })).body
    const ok = await verify(cred.token)
    assert.equal(ok?.credential.role, 'readonly')
    assert.equal(ok?.cluster.name, 'production')
    // One character changed: the checksum fails. A well-formed token with another secret: the HMAC fails.
    const i = 20
    assert.equal(await verify(cred.token.slice(0, i) + (cred.token[i] === 'A' ? 'B' : 'A') + cred.token.slice(i + 1)), undefined)
    const forged = (await import('../src/domain/apikeys/token-format.js')).buildToken('kupec', cred.id.slice(3))
    assert.equal(await verify(forged), undefined)
    assert.equal(await verify(cred.token.replace('kupec_', 'kupe_')), undefined)
    // Revoking the API key that created it revokes it too (§5.7): it stops working, leaves the
    // list, and a revoke finds nothing; credentials of other keys stay.
    const other = (await issue(admin, { role: 'readonly' })).body
    assert.equal((await s.request('DELETE', `/api/v1/tenants/acme/apikeys/${key.id}`, { token: admin })).status, 204)
    assert.equal(await verify(cred.token), undefined)
    const listed = await listIds(admin)
    assert.ok(!listed.includes(cred.id) && listed.includes(other.id), String(listed))
    expectError(await revoke(admin, cred.id), 404, { error: 'Credential not found' })
  })

  test('1,000 live credentials per cluster; revoking one makes room', async () => {
    const cluster = (await s.server.container.db.selectFrom('clusters').selectAll().where('name', '=', 'staging').executeTakeFirst())!
    const live = (await s.request('GET', `${base('staging')}/credentials`, { token: admin })).body.items.length as number
    const now = new Date()
    for (let i = live; i < 1000; i++) {
      await insertCredential(s.server.container.db, {
        id: `cc-f${i.toString(16).padStart(7, '0')}`, tenant_id: cluster.tenant_id, cluster_id: cluster.id, role: 'readonly',
        created_by: 'apikey:ak-00000000', created_at: now, expires_at: new Date(now.getTime() + 3600_000), revoked_at: null,
        token_hmac: 'x', creator_key_id: null, creator_email: null,
      })
    }
    expectError(await issue(admin, undefined, 'staging'), 400, {
      error: 'Limit reached: live credentials per cluster (1000)', code: 'LIMIT_EXCEEDED', severity: 'error',
      message: 'Limit reached: live credentials per cluster (1000)',
    })
    const yaml = await s.request('GET', `${base('staging')}/kubeconfig?format=yaml`, { token: admin })
    assert.equal(yaml.body?.code, 'LIMIT_EXCEEDED')
    assert.equal(yaml.status, 400)
    assert.equal((await revoke(admin, 'cc-f0000200', 'staging')).status, 204)
    assert.equal((await issue(admin, undefined, 'staging')).status, 201)
  })

  test('suspension: YAML kubeconfig and new credentials are writes; JSON, lists and revocation still work', async () => {
    const cred = (await issue(admin)).body
    await s.request('POST', '/api/v1/admin/tenants/acme/suspend', { token: s.adminToken })
    try {
      expectError(await s.request('GET', `${base('production')}/kubeconfig?format=yaml`, { token: admin }), 403, { error: 'Tenant suspended' })
      expectError(await s.request('GET', `${base('Bad_Name')}/kubeconfig?format=yaml`, { token: admin }), 403, { error: 'Tenant suspended' })
      expectError(await issue(admin), 403, { error: 'Tenant suspended' })
      assert.equal((await s.request('GET', `${base('production')}/kubeconfig`, { token: admin })).status, 200)
      assert.equal((await s.request('GET', `${base('production')}/credentials`, { token: ro.key })).status, 200)
      assert.equal((await revoke(admin, cred.id)).status, 204)
    } finally {
      await s.request('POST', '/api/v1/admin/tenants/acme/resume', { token: s.adminToken })
    }
  })

  test('deleting a cluster revokes every credential at once', async () => {
    const r = await s.request('POST', '/api/v1/tenants/acme/clusters', { token: admin, body: { name: 'doomed' } })
    assert.equal(r.status, 201)
    await eventually(async () => ((await s.request('GET', base('doomed'), { token: admin })).body.status.phase === 'Running' ? true : undefined))
    const a = (await issue(admin, undefined, 'doomed')).body
    const b = (await issue(ro.key, undefined, 'doomed')).body
    assert.ok(await verify(a.token))
    assert.equal((await s.request('DELETE', base('doomed'), { token: admin })).status, 204)
    assert.equal(await verify(a.token), undefined)
    assert.equal(await verify(b.token), undefined)
    const rows = await Promise.all([a.id, b.id].map((id: string) => findCredential(s.server.container.db, id)))
    assert.ok(rows.every((row) => row?.revoked_at))
    const during = await s.request('GET', `${base('doomed')}/credentials`, { token: admin })
    if (during.status === 200) assert.deepEqual(during.body.items, [])
    const cluster = await findClusterById(s.server.container.db, rows[0]!.cluster_id)
    assert.ok(cluster === undefined || cluster.deletion_requested_at)
  })
})
