import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { buildToken } from '../src/domain/apikeys/token-format.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Conventions every route shares (spec §1, §2.1, §4.2, §7 item 9), checked over real HTTP.
// The server trusts 127.0.0.1 as a proxy so that each request expected to fail authentication
// can come from its own client IP (X-Forwarded-For) and never trips the §4.3 penalty.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const JSON_TYPE = 'application/json; charset=utf-8'
const UNAUTHENTICATED = { error: 'Missing or invalid authentication' }

let ipCounter = 0
/** A fresh client IP for each request that is meant to fail authentication. */
function freshIp(): Record<string, string> {
  ipCounter++
  return { 'x-forwarded-for': `127.10.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}` }
}

/** Any method with a body, which fetch() refuses to send with GET. */
function sendWithBody(method: string, url: string, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('HTTP conventions', () => {
  let s: TestServer
  let admin: string
  let readonly: string
  let suspendedAdmin: string

  before(async () => {
    s = await startTestServer({ overrides: { trustedProxies: '127.0.0.1' } })
    admin = (await s.createTenant('conv-acme')).key
    readonly = (await s.createKey('conv-acme', admin, 'readonly')).key
    suspendedAdmin = (await s.createTenant('conv-frozen')).key
    const sus = await s.request('POST', '/api/v1/admin/tenants/conv-frozen/suspend', { token: s.adminToken })
    assert.equal(sus.status, 200)
  })
  after(() => s.stop())

  describe('request ids (§1.8)', () => {
    test('a sane X-Request-Id is echoed, up to 128 characters of the allowed alphabet', async () => {
      for (const id of ['abc', 'AZaz09-_.:/+=', 'x'.repeat(128), 'req:2026/04/06+retry=1']) {
        const r = await s.request('GET', '/api/v1/plans', { headers: { 'x-request-id': id } })
        assert.equal(r.status, 200)
        assert.equal(r.headers.get('x-request-id'), id)
      }
    })

    test('an absent or insane X-Request-Id is replaced by a fresh lowercase UUID v4', async () => {
      const seen = new Set<string>()
      const cases: Array<Record<string, string>> = [{}, { 'x-request-id': 'x'.repeat(129) }, { 'x-request-id': 'has space' }, { 'x-request-id': 'semi;colon' }, { 'x-request-id': 'ünï' }]
      for (const headers of cases) {
        const r = await s.request('GET', '/api/v1/plans', { headers })
        const id = r.headers.get('x-request-id') ?? ''
        assert.match(id, UUID_V4)
        assert.ok(!seen.has(id), 'request ids are not reused')
        seen.add(id)
      }
    })

    test('errors carry the request id too, and it appears in the server log for that request', async () => {
      const id = `conv-log-${Date.now()}`
      const r = await s.request('GET', '/api/v1/nowhere', { headers: { 'x-request-id': id } })
      assert.equal(r.status, 404)
      assert.equal(r.headers.get('x-request-id'), id)
      assert.ok(s.logs.some((line) => line.includes(id)), 'request id in the log')
    })
  })

  test('every response carries RateLimit-Policy and RateLimit (§4.2)', async () => {
    const responses = [
      await s.request('GET', '/api/v1/plans'),
      await s.request('GET', '/api/v1/tenants/conv-acme', { token: admin }),
      await s.request('GET', '/api/v1/nowhere'),
      await s.request('PUT', '/api/v1/plans'),
      await s.request('GET', '/api/v1/tenants/conv-acme', { headers: freshIp() }),
      await s.request('POST', '/api/v1/tenants/conv-acme/apikeys', { token: admin, rawBody: '{', headers: { 'content-type': 'application/json' } }),
      await s.request('GET', '/healthz'),
    ]
    for (const r of responses) {
      assert.match(r.headers.get('ratelimit-policy') ?? '', /^"ip";q=\d+;w=\d+$/, `status ${r.status}`)
      assert.match(r.headers.get('ratelimit') ?? '', /^"ip";r=\d+;t=\d+$/, `status ${r.status}`)
    }
  })

  describe('routing (§1.1)', () => {
    test('unknown paths and trailing slashes are 404 Not found', async () => {
      // `/` is the web console since issue 13 (decision 0026); any other unknown path is still 404.
      for (const path of ['/api/v1/nowhere', '/api/v1/plans/', '/api/v1/tenants/conv-acme/', '/api/v2/plans', '/nowhere', '/clusters/web/']) {
        const r = await s.request('GET', path, { token: admin })
        assert.equal(r.status, 404, path)
        assert.deepEqual(r.body, { error: 'Not found' }, path)
        assert.equal(r.headers.get('content-type'), JSON_TYPE)
      }
    })

    test('a known path with another method is 405 with an Allow header', async () => {
      const put = await s.request('PUT', '/api/v1/plans', { body: {} })
      assert.equal(put.status, 405)
      assert.deepEqual(put.body, { error: 'Method not allowed' })
      assert.deepEqual(put.headers.get('allow')?.split(/,\s*/), ['GET'])
      const post = await s.request('POST', '/api/v1/tenants/conv-acme', { token: admin, body: {} })
      assert.equal(post.status, 405)
      const allowed = post.headers.get('allow')?.split(/,\s*/) ?? []
      assert.ok(allowed.includes('GET') && allowed.includes('PATCH') && allowed.includes('DELETE') && !allowed.includes('POST'), String(allowed))
    })

    test('a trailing slash is 404 with every method, even where a parameter could follow', async () => {
      for (const [method, path] of [
        ['POST', '/api/v1/plans/'], ['POST', '/api/v1/tenants/conv-acme/clusters/'], ['PUT', '/api/v1/tenants/conv-acme/clusters/'],
        ['POST', '/api/v1/tenants/conv-acme/members/'], ['GET', '/api/v1/tenants/conv-acme/apikeys/'],
        ['POST', '/api/v1/tenants/conv-acme/vault/'], ['GET', '/api/v1/tenants/conv-acme/clusters/web/credentials/'],
        ['PUT', '/api/v1/tenants//clusters'],
      ] as const) {
        const r = await s.request(method, path, { token: admin })
        assert.deepEqual([r.status, r.body, r.headers.get('allow')], [404, { error: 'Not found' }, null], `${method} ${path}`)
      }
    })

    test('a broken percent-escape is taken literally and judged by the parameter rule, after authentication', async () => {
      const bad = await s.request('GET', '/api/v1/tenants/%zz', { token: admin })
      assert.deepEqual([bad.status, bad.body], [400, { error: 'Invalid tenant name' }])
      assert.equal(bad.headers.get('content-type'), JSON_TYPE)
      assert.match(bad.headers.get('x-request-id') ?? '', UUID_V4)
      assert.ok(bad.headers.get('ratelimit'))
      const anonymous = await s.request('GET', '/api/v1/tenants/%zz', { headers: freshIp() })
      assert.deepEqual([anonymous.status, anonymous.body], [401, UNAUTHENTICATED])
      const email = await s.request('PATCH', '/api/v1/tenants/conv-acme/members/alice%E0%A4%A', { token: admin, body: { role: 'admin' } })
      assert.deepEqual([email.status, email.body], [400, { error: 'Invalid email' }])
    })

    test('route matching comes before authentication (§1.9 step 2)', async () => {
      assert.equal((await s.request('PUT', '/api/v1/tenants/conv-acme/apikeys')).status, 405)
      assert.equal((await s.request('GET', '/api/v1/tenants/conv-acme/nowhere')).status, 404)
    })

    test('unknown query parameters are ignored; a bad limit is 400 Invalid limit', async () => {
      const r = await s.request('GET', '/api/v1/plans?colour=blue', {})
      assert.equal(r.status, 200)
      for (const limit of ['0', '1001', 'abc', '-1', '1.5']) {
        const bad = await s.request('GET', `/api/v1/tenants/conv-acme/apikeys?limit=${limit}`, { token: admin })
        assert.deepEqual([bad.status, bad.body], [400, { error: 'Invalid limit' }], limit)
      }
      const one = await s.request('GET', '/api/v1/tenants/conv-acme/apikeys?limit=1', { token: admin })
      assert.equal(one.status, 200)
      assert.equal(one.body.items.length, 1)
      assert.equal(typeof one.body.continue, 'string')
    })
  })

  describe('request bodies (§1.2)', () => {
    const path = '/api/v1/tenants/conv-acme/apikeys'

    test('a non-JSON content type is 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json']) {
        const r = await s.request('POST', path, { token: admin, rawBody: '{"displayName":"x","role":"admin"}', headers: { 'content-type': type } })
        assert.deepEqual([r.status, r.body], [415, { error: 'Unsupported media type' }], type)
      }
    })

    test('application/json with a charset parameter is accepted', async () => {
      const r = await s.request('POST', path, {
        token: admin, rawBody: '{"displayName":"charset","role":"readonly"}', headers: { 'content-type': 'application/json; charset=utf-8' },
      })
      assert.equal(r.status, 201)
    })

    test('a body over 1 MiB is 413', async () => {
      const big = JSON.stringify({ displayName: 'x'.repeat(1024 * 1024), role: 'admin' })
      const r = await s.request('POST', path, { token: admin, rawBody: big, headers: { 'content-type': 'application/json' } })
      assert.deepEqual([r.status, r.body], [413, { error: 'Request body too large' }])
    })

    test('the media type is judged before the size: a large text/plain body is 415, not 413 (§1.9 step 10)', async () => {
      const big = 'x'.repeat(2 * 1024 * 1024)
      const r = await s.request('POST', path, { token: admin, rawBody: big, headers: { 'content-type': 'text/plain' } })
      assert.deepEqual([r.status, r.body], [415, { error: 'Unsupported media type' }])
    })

    test('malformed JSON is 400 Malformed JSON body', async () => {
      for (const raw of ['{', '{"displayName": }', "{'a': 1}", '{"a":1}}']) {
        const r = await s.request('POST', path, { token: admin, rawBody: raw, headers: { 'content-type': 'application/json' } })
        assert.deepEqual([r.status, r.body], [400, { error: 'Malformed JSON body' }], raw)
      }
    })

    test('valid JSON that is not an object, or no body at all, is 400 Request body must be a JSON object', async () => {
      for (const raw of ['[]', '"x"', 'null', '42', 'true', undefined]) {
        const r = await s.request('POST', path, { token: admin, rawBody: raw, headers: { 'content-type': 'application/json' } })
        assert.deepEqual([r.status, r.body], [400, { error: 'Request body must be a JSON object' }], String(raw))
      }
    })

    test('an unknown field is UNKNOWN_FIELD with its path; response-only fields are unknown too', async () => {
      for (const [body, field] of [
        [{ displayName: 'x', role: 'admin', colour: 'blue' }, 'colour'],
        [{ displayName: 'x', role: 'admin', createdAt: '2026-01-01T00:00:00Z' }, 'createdAt'],
        [{ id: 'ak-00000000', displayName: 'x', role: 'admin' }, 'id'],
      ] as const) {
        const r = await s.request('POST', path, { token: admin, body })
        assert.equal(r.status, 400)
        assert.deepEqual(r.body, { error: `Unknown field "${field}"`, code: 'UNKNOWN_FIELD', severity: 'error', message: `Unknown field "${field}"`, field })
      }
    })

    test('nested unknown fields are reported with dotted and indexed paths (spec. prefix on cluster and secret bodies)', async () => {
      const cluster = await s.request('POST', '/api/v1/tenants/conv-acme/clusters', {
        token: admin, body: { name: 'deep', resources: { cpu: '1', gpu: '1' } },
      })
      assert.equal(cluster.status, 400)
      assert.equal(cluster.body.code, 'UNKNOWN_FIELD')
      assert.equal(cluster.body.error, 'Unknown field "resources.gpu"')
      assert.equal(cluster.body.field, 'spec.resources.gpu')
      const secret = await s.request('POST', '/api/v1/tenants/conv-acme/secrets', {
        token: admin,
        body: {
          name: 'deep', secretPath: 'app/db',
          sync: [{ cluster: 'a1', namespace: 'n1' }, { cluster: 'a2', namespace: 'n2' }, { cluster: 'a3', namespace: 'n3', colour: 'x' }],
        },
      })
      assert.equal(secret.status, 400)
      assert.equal(secret.body.code, 'UNKNOWN_FIELD')
      assert.equal(secret.body.error, 'Unknown field "sync[2].colour"')
      assert.equal(secret.body.field, 'spec.sync[2].colour')
    })

    test('a missing required field is REQUIRED_FIELD; a bad value is INVALID_FIELD', async () => {
      const missing = await s.request('POST', path, { token: admin, body: { displayName: 'x' } })
      assert.deepEqual([missing.status, missing.body.code, missing.body.field, missing.body.error], [400, 'REQUIRED_FIELD', 'role', 'Missing required field "role"'])
      const invalid = await s.request('POST', path, { token: admin, body: { displayName: 'x', role: 'owner' } })
      assert.deepEqual([invalid.status, invalid.body.code, invalid.body.field], [400, 'INVALID_FIELD', 'role'])
      assert.match(invalid.body.error, /^Invalid value for "role": /)
      assert.equal(invalid.body.message, invalid.body.error)
      assert.equal(invalid.body.severity, 'error')
    })

    test('a body sent with GET is ignored', async () => {
      const r = await sendWithBody('GET', `${s.url}/api/v1/tenants/conv-acme`, admin, '{ not json')
      assert.equal(r.status, 200)
      assert.equal(JSON.parse(r.text).name, 'conv-acme')
    })

    test('a body of any size is ignored on GET and DELETE, and never turns a 404 or 405 into 413', async () => {
      const huge = JSON.stringify({ blob: 'x'.repeat(3 * 1024 * 1024) })
      const base = `${s.url}/api/v1/tenants/conv-acme`
      const answers = [
        await sendWithBody('GET', base, admin, huge),
        await sendWithBody('DELETE', `${base}/secrets/not-there`, admin, huge),
        await sendWithBody('POST', `${base}/nowhere`, admin, huge),
        await sendWithBody('POST', base, admin, huge),
      ]
      assert.deepEqual(answers.map((r) => r.status), [200, 404, 404, 405])
      assert.deepEqual(JSON.parse(answers[1]!.text), { error: 'Secret not found' })
    })

    test('no body and no Content-Type is a missing object (400), not another media type (415)', async () => {
      const r = await s.request('POST', path, { token: admin })
      assert.deepEqual([r.status, r.body], [400, { error: 'Request body must be a JSON object' }])
      const patch = await s.request('PATCH', '/api/v1/tenants/conv-acme', { token: admin })
      assert.deepEqual([patch.status, patch.body], [400, { error: 'Request body must be a JSON object' }])
      const empty = await s.request('POST', path, { token: admin, rawBody: '', headers: { 'content-type': 'text/plain' } })
      assert.deepEqual([empty.status, empty.body], [415, { error: 'Unsupported media type' }], 'a declared type is still judged')
    })
  })

  describe('authentication (§2.1)', () => {
    const path = '/api/v1/tenants/conv-acme'
    const unknownButWellFormed = buildToken('kupe', 'abcdef12')

    test('missing, other-scheme, garbage and unknown keys are all the same 401 with WWW-Authenticate', async () => {
      const cases: Array<Record<string, string>> = [
        {},
        { authorization: 'Basic YWxpY2U6c2VjcmV0' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer ' },
        { authorization: 'Bearer kupe_bad' },
        { authorization: 'Bearer garbage garbage' },
        { authorization: `Bearer ${unknownButWellFormed}` },
        { authorization: `Token ${admin}` },
        { authorization: `Bearer ${admin.slice(0, -1)}${admin.endsWith('A') ? 'B' : 'A'}` },
      ]
      for (const headers of cases) {
        const r = await s.request('GET', path, { headers: { ...headers, ...freshIp() } })
        assert.equal(r.status, 401, JSON.stringify(headers))
        assert.deepEqual(r.body, UNAUTHENTICATED)
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="kupe"')
        assert.equal(r.headers.get('content-type'), JSON_TYPE)
      }
    })

    test('the scheme is case-insensitive', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
        const r = await s.request('GET', path, { headers: { authorization: `${scheme} ${admin}` } })
        assert.equal(r.status, 200, scheme)
      }
    })

    test('public routes ignore a bad Authorization header and never count it as a failure', async () => {
      const ip = freshIp()
      for (let i = 0; i < 8; i++) {
        const r = await s.request('GET', '/api/v1/plans', { headers: { authorization: 'Bearer kupe_bad', ...ip } })
        assert.equal(r.status, 200)
        assert.equal((await s.request('GET', '/api/v1/plans/pro', { headers: { authorization: 'Basic x', ...ip } })).status, 200)
      }
      // 16 bad headers on public routes from this IP: still no penalty on an authenticated route.
      const after = await s.request('GET', path, { token: admin, headers: ip })
      assert.equal(after.status, 200)
    })

    test('the platform admin token is not a member of any tenant', async () => {
      const r = await s.request('GET', path, { token: s.adminToken })
      assert.deepEqual([r.status, r.body], [403, { error: 'Not a member of this tenant' }])
    })
  })

  describe('order of evaluation (§1.9)', () => {
    test('no key and an invalid tenant name → 401 (authentication first)', async () => {
      const r = await s.request('GET', '/api/v1/tenants/Not_A_Name', { headers: freshIp() })
      assert.deepEqual([r.status, r.body], [401, UNAUTHENTICATED])
    })

    test('a valid key and an invalid tenant name → 400 Invalid tenant name', async () => {
      for (const name of ['Not_A_Name', 'a', '-acme', 'x'.repeat(64)]) {
        const r = await s.request('GET', `/api/v1/tenants/${name}`, { token: admin })
        assert.deepEqual([r.status, r.body], [400, { error: 'Invalid tenant name' }], name)
      }
    })

    test('a valid name of another or no tenant → 403 Not a member, before path parameters and body', async () => {
      const other = await s.request('DELETE', '/api/v1/tenants/conv-frozen/apikeys/not-an-id', { token: admin })
      assert.deepEqual([other.status, other.body], [403, { error: 'Not a member of this tenant' }])
      const none = await s.request('POST', '/api/v1/tenants/conv-nobody/apikeys', { token: admin, rawBody: '[', headers: { 'content-type': 'text/plain' } })
      assert.deepEqual([none.status, none.body], [403, { error: 'Not a member of this tenant' }])
    })

    test('a readonly key with a bad body on an admin-only route → 403 Admin access required', async () => {
      for (const rawBody of ['[]', '{', '{"colour":"blue"}']) {
        const r = await s.request('POST', '/api/v1/tenants/conv-acme/apikeys', { token: readonly, rawBody, headers: { 'content-type': 'application/json' } })
        assert.deepEqual([r.status, r.body], [403, { error: 'Admin access required' }], rawBody)
      }
      const bad = await s.request('DELETE', '/api/v1/tenants/conv-acme/apikeys/not-an-id', { token: readonly })
      assert.deepEqual([bad.status, bad.body], [403, { error: 'Admin access required' }])
    })

    test('a suspended tenant with a bad body → 403 Tenant suspended', async () => {
      for (const [rawBody, type] of [['{', 'application/json'], ['x', 'text/plain'], ['{"colour":"blue"}', 'application/json']]) {
        const r = await s.request('POST', '/api/v1/tenants/conv-frozen/apikeys', { token: suspendedAdmin, rawBody, headers: { 'content-type': type! } })
        assert.deepEqual([r.status, r.body], [403, { error: 'Tenant suspended' }], rawBody)
      }
    })

    test('without a key, an oversized or non-JSON body is still 401', async () => {
      const big = `{"displayName":"${'x'.repeat(2 * 1024 * 1024)}"}`
      const r = await s.request('POST', '/api/v1/tenants/conv-acme/apikeys', { rawBody: big, headers: { 'content-type': 'text/plain' } })
      assert.deepEqual([r.status, r.body], [401, UNAUTHENTICATED])
    })

    test('path parameters before the body; the body before Idempotency-Key', async () => {
      const badId = await s.request('DELETE', '/api/v1/tenants/conv-acme/apikeys/ak-XYZ', { token: admin })
      assert.deepEqual([badId.status, badId.body], [400, { error: 'Invalid API key ID format' }])
      const bodyFirst = await s.request('POST', '/api/v1/tenants/conv-acme/apikeys', {
        token: admin, body: { colour: 'blue' }, headers: { 'idempotency-key': 'not valid because of spaces' },
      })
      assert.equal(bodyFirst.status, 400)
      assert.equal(bodyFirst.body.code, 'UNKNOWN_FIELD')
      const keyNext = await s.request('POST', '/api/v1/tenants/conv-acme/apikeys', {
        token: admin, body: { displayName: 'x', role: 'readonly' }, headers: { 'idempotency-key': 'not valid because of spaces' },
      })
      assert.deepEqual([keyNext.status, keyNext.body], [400, { error: 'Invalid Idempotency-Key' }])
    })

    test('existence is checked after the path syntax: a well-formed unknown id is 404', async () => {
      const r = await s.request('DELETE', '/api/v1/tenants/conv-acme/apikeys/ak-00000000', { token: admin })
      assert.deepEqual([r.status, r.body], [404, { error: 'API key not found' }])
    })
  })

  describe('system routes (§7 item 9)', () => {
    test('/healthz, /readyz and /version answer without credentials', async () => {
      const health = await s.request('GET', '/healthz', { headers: { authorization: 'Bearer nonsense' } })
      assert.equal(health.status, 200)
      const ready = await s.request('GET', '/readyz')
      assert.equal(ready.status, 200)
      const version = await s.request('GET', '/version')
      assert.equal(version.status, 200)
      assert.match(version.body.version, /^\d+\.\d+\.\d+/)
    })

    test('/metrics counts requests by route template, never by concrete tenant name', async () => {
      await s.request('GET', '/api/v1/tenants/conv-acme', { token: admin })
      await s.request('GET', '/api/v1/tenants/conv-acme/apikeys', { token: admin })
      const r = await s.request('GET', '/metrics')
      assert.equal(r.status, 200)
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/)
      assert.match(r.text, /kupe_http_requests_total\{[^}]*route="\/api\/v1\/tenants\/:tenant"[^}]*\} \d+/)
      assert.match(r.text, /route="\/api\/v1\/tenants\/:tenant\/apikeys"/)
      assert.ok(!r.text.includes('conv-acme'), 'no tenant name in metrics')
      assert.ok(!r.text.includes('conv-frozen'), 'no tenant name in metrics')
    })

    test('/api/v1/openapi.json is public JSON', async () => {
      const r = await s.request('GET', '/api/v1/openapi.json', { headers: { authorization: 'Basic x' } })
      assert.equal(r.status, 200)
      assert.equal(r.body.openapi, '3.1.0')
    })
  })
})
