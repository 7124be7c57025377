import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { toRfc3339 } from '../src/lib/time.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

// Tenant isolation and the role matrix (spec §2.1, §2.5, §1.9 steps 4–7) for every tenant
// operation the server documents in its OpenAPI document: new routes are covered as they land.
// Each request expected to fail authentication comes from its own client IP (trusted loopback
// proxy + X-Forwarded-For), so the §4.3 penalty never masks the answer under test.

const UNAUTHENTICATED = { error: 'Missing or invalid authentication' }
const NOT_MEMBER = { error: 'Not a member of this tenant' }
const ADMIN_REQUIRED = { error: 'Admin access required' }
const SUSPENDED = { error: 'Tenant suspended' }
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

interface Operation {
  method: string
  template: string
}

let ipCounter = 0
function freshIp(): Record<string, string> {
  ipCounter++
  return { 'x-forwarded-for': `127.30.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}` }
}

/** A syntactically valid value for a path parameter, chosen by the collection it follows. */
function sampleParam(collection: string): string {
  switch (collection) {
    case 'apikeys': return 'ak-0123abcd'
    case 'credentials': return 'cc-0123abcd'
    case 'members': return 'nobody@example.com'
    case 'invoices': return '2026-01'
    case 'vault': return 'app/db-password'
    default: return 'web-1'
  }
}

/** `/api/v1/tenants/{tenant}/clusters/{name}` → a concrete path in `tenant`. */
function concretePath(template: string, tenant: string): string {
  const segments = template.split('/')
  return segments
    .map((seg, i) => {
      if (seg === '{tenant}') return tenant
      if (seg.startsWith('{') && seg.endsWith('}')) return sampleParam(segments[i - 1] ?? '')
      return seg
    })
    .join('/')
}

/**
 * The role an operation needs (§2.5): readonly may read everything except the API key list and
 * vault values, and may issue and revoke (its own) cluster credentials; every other write is admin.
 */
function needsAdmin(op: Operation): boolean {
  const t = op.template
  if (op.method === 'GET') return /\/apikeys$/.test(t) || /\/vault\/\{[^}]+\}$/.test(t)
  if (/\/credentials(\/\{[^}]+\})?$/.test(t) && (op.method === 'POST' || op.method === 'DELETE')) return false
  return true
}

/** Operations that only take access away work on suspended tenants (§2.4). */
function allowedWhileSuspended(op: Operation): boolean {
  if (op.method === 'GET') return true
  return op.method === 'DELETE' && /\/(apikeys|credentials|members)\/\{[^}]+\}$/.test(op.template)
}

function send(s: TestServer, op: Operation, path: string, headers: Record<string, string>): Promise<TestResponse> {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(op.method)
  return s.request(op.method, path, withBody ? { body: {}, headers } : { headers })
}

function assertRefused(r: TestResponse, status: number, body: object, what: string, secrets: string[]): void {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`)
  assert.deepEqual(r.body, body, what)
  assert.equal(r.headers.get('etag'), null, `${what}: no ETag on a refusal`)
  for (const secret of secrets) assert.ok(!r.text.includes(secret), `${what}: leaks ${secret}`)
  if (status === 401) assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="kupe"', what)
}

describe('isolation matrix over every tenant operation', () => {
  let s: TestServer
  let operations: Operation[]
  let adminA: string
  let readonlyA: string
  let adminB: string
  let adminSuspended: string
  let expiredA: string
  let revokedA: string
  let secretsOfA: string[]

  before(async () => {
    s = await startTestServer({ overrides: { trustedProxies: '127.0.0.1' } })
    const doc = (await s.request('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> }
    operations = Object.entries(doc.paths)
      .filter(([p]) => p === '/api/v1/tenants/{tenant}' || p.startsWith('/api/v1/tenants/{tenant}/'))
      .flatMap(([template, item]) => METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), template })))

    adminA = (await s.createTenant('iso-alpha', { owner: 'alpha-owner@iso.example.com' })).key
    adminB = (await s.createTenant('iso-bravo')).key
    adminSuspended = (await s.createTenant('iso-charlie')).key
    assert.equal((await s.request('POST', '/api/v1/admin/tenants/iso-charlie/suspend', { token: s.adminToken })).status, 200)
    readonlyA = (await s.createKey('iso-alpha', adminA, 'readonly', { displayName: 'iso-marker-readonly' })).key
    const revoked = await s.createKey('iso-alpha', adminA, 'admin', { displayName: 'iso-marker-revoked' })
    revokedA = revoked.key
    assert.equal((await s.request('DELETE', `/api/v1/tenants/iso-alpha/apikeys/${revoked.id}`, { token: adminA })).status, 204)

    // A key that expires two or three seconds from now: it works, then (polled, no sleep) it does not.
    const expiresAt = toRfc3339(new Date(Date.now() + 3000))
    expiredA = (await s.createKey('iso-alpha', adminA, 'admin', { displayName: 'iso-marker-expiring', expiresAt })).key
    assert.equal((await s.request('GET', '/api/v1/tenants/iso-alpha', { token: expiredA })).status, 200)
    await eventually(
      async () => ((await s.request('GET', '/api/v1/tenants/iso-alpha', { token: expiredA, headers: freshIp() })).status === 401 ? true : undefined),
      10_000,
      'the key to expire',
    )
    const keys = await s.request('GET', '/api/v1/tenants/iso-alpha/apikeys', { token: adminA })
    secretsOfA = ['alpha-owner@iso.example.com', 'iso-marker', adminA, readonlyA, ...(keys.body.items as Array<{ id: string }>).map((k) => k.id)]
  })
  after(() => s.stop())

  test('the OpenAPI document lists the tenant operations', () => {
    const names = operations.map((o) => `${o.method} ${o.template}`)
    for (const expected of ['GET /api/v1/tenants/{tenant}', 'PATCH /api/v1/tenants/{tenant}', 'GET /api/v1/tenants/{tenant}/apikeys', 'POST /api/v1/tenants/{tenant}/apikeys']) {
      assert.ok(names.includes(expected), expected)
    }
  })

  test('each operation refuses everyone but the right members', async (t) => {
    for (const op of operations) {
      await t.test(`${op.method} ${op.template}`, async () => {
        const pathA = concretePath(op.template, 'iso-alpha')
        const auth = (token: string) => ({ authorization: `Bearer ${token}` })

        // Positive control: the tenant's own admin gets past authentication and authorisation.
        const own = await send(s, op, pathA, auth(adminA))
        assert.ok(![401, 403].includes(own.status), `admin of the tenant: ${own.status} ${own.text}`)

        assertRefused(await send(s, op, pathA, auth(adminB)), 403, NOT_MEMBER, 'key of another tenant', secretsOfA)
        assertRefused(await send(s, op, concretePath(op.template, 'iso-ghost'), auth(adminA)), 403, NOT_MEMBER, 'tenant that does not exist', secretsOfA)
        assertRefused(await send(s, op, pathA, { authorization: `Bearer ${s.adminToken}` }), 403, NOT_MEMBER, 'platform admin token', secretsOfA)

        const asReadonly = await send(s, op, pathA, auth(readonlyA))
        if (needsAdmin(op)) assertRefused(asReadonly, 403, ADMIN_REQUIRED, 'readonly key', secretsOfA)
        else assert.ok(![401, 403].includes(asReadonly.status), `readonly may: ${asReadonly.status} ${asReadonly.text}`)

        assertRefused(await send(s, op, pathA, {}), 401, UNAUTHENTICATED, 'no key', secretsOfA)
        for (const [what, headers] of [
          ['expired key', auth(expiredA)],
          ['revoked key', auth(revokedA)],
          ['bare Bearer', { authorization: 'Bearer' }],
          ['Basic scheme', { authorization: 'Basic abc' }],
          ['malformed key', { authorization: 'Bearer kupe_bad' }],
          ['another tenant key, wrong scheme', { authorization: `Basic ${adminB}` }],
        ] as const) {
          assertRefused(await send(s, op, pathA, { ...headers, ...freshIp() }), 401, UNAUTHENTICATED, what, secretsOfA)
        }
      })
    }
  })

  test('a suspended tenant is read-only, except for taking access away (§2.4)', async (t) => {
    for (const op of operations) {
      await t.test(`${op.method} ${op.template}`, async () => {
        const r = await send(s, op, concretePath(op.template, 'iso-charlie'), { authorization: `Bearer ${adminSuspended}` })
        if (allowedWhileSuspended(op)) assert.ok(![401, 403].includes(r.status), `allowed while suspended: ${r.status} ${r.text}`)
        else assertRefused(r, 403, SUSPENDED, 'write on a suspended tenant', secretsOfA)
      })
    }
    // A YAML kubeconfig issues a credential: a write, even though it is a GET.
    const yaml = await s.request('GET', '/api/v1/tenants/iso-charlie/clusters/web-1/kubeconfig?format=yaml', { token: adminSuspended })
    assert.deepEqual([yaml.status, yaml.body], [403, SUSPENDED])
    const json = await s.request('GET', '/api/v1/tenants/iso-charlie/clusters/web-1/kubeconfig', { token: adminSuspended })
    assert.deepEqual([json.status, json.body], [404, { error: 'Cluster not found' }])
  })

  test('a key of another tenant sees nothing of this tenant in list responses either', async () => {
    const lists = operations.filter((o) => o.method === 'GET' && !/\{[^}]+\}$/.test(o.template.replace('{tenant}', 'x')))
    let answered = 0
    for (const op of lists) {
      const r = await s.request('GET', concretePath(op.template, 'iso-bravo'), { token: adminB })
      assert.ok(r.status < 500, `${op.template}: ${r.status}`)
      if (r.status === 200) answered++
      for (const secret of secretsOfA) assert.ok(!r.text.includes(secret), `${op.template} of another tenant leaks ${secret}`)
    }
    assert.ok(answered >= 2, 'at least the tenant and its API key list answered')
  })
})
