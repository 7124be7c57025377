import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ManualClock } from '../src/lib/clock.js'
import { toRfc3339 } from '../src/lib/time.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Idempotency-Key on POST (spec §7 item 5, §1.9 step 11). The server runs on a clock the test
// moves by hand, so a failure that depends on time can be made to succeed on a retry.

const DAY_MS = 24 * 3600 * 1000

describe('Idempotency-Key', () => {
  let s: TestServer
  let admin: string
  const clock = new ManualClock(new Date())
  const keysPath = '/api/v1/tenants/idem-acme/apikeys'

  before(async () => {
    s = await startTestServer({ clock })
    admin = (await s.createTenant('idem-acme')).key
  })
  after(() => s.stop())

  async function keyIds(): Promise<string[]> {
    const r = await s.request('GET', keysPath, { token: admin })
    assert.equal(r.status, 200)
    return (r.body.items as Array<{ id: string }>).map((k) => k.id)
  }

  function post(rawBody: string, idempotencyKey: string, token = admin) {
    return s.request('POST', keysPath, { token, rawBody, headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey } })
  }

  test('the same key and the same body (other spelling) replays the first response, raw key included', async () => {
    const before = await keyIds()
    const first = await post('{"displayName":"ci-deploy","role":"admin"}', 'create-ci-key-1')
    assert.equal(first.status, 201)
    assert.equal(first.headers.get('idempotent-replayed'), null)
    assert.match(first.body.key, /^kupe_/)

    const again = await post('{\n  "role" : "admin",\n  "displayName" : "ci-deploy"\n}\n', 'create-ci-key-1')
    assert.equal(again.status, 201)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(again.text, first.text, 'identical body, raw key included')
    assert.equal(again.headers.get('cache-control'), 'no-store')
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'))
    assert.notEqual(again.headers.get('x-request-id'), first.headers.get('x-request-id'), 'a fresh request id')
    assert.match(again.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)

    const afterIds = await keyIds()
    assert.equal(afterIds.length, before.length + 1, 'created once')
    assert.ok(afterIds.includes(first.body.id))
    // The replayed raw key is the one that works.
    assert.equal((await s.request('GET', '/api/v1/tenants/idem-acme', { token: again.body.key })).status, 200)
  })

  test('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
    const first = await post('{"displayName":"one","role":"readonly"}', 'reuse-me')
    assert.equal(first.status, 201)
    const count = (await keyIds()).length
    const other = await post('{"displayName":"two","role":"readonly"}', 'reuse-me')
    assert.equal(other.status, 422)
    const message = 'Idempotency-Key was used with a different request'
    assert.deepEqual(other.body, { error: message, code: 'IDEMPOTENCY_KEY_REUSED', severity: 'error', message })
    assert.equal((await keyIds()).length, count)
  })

  test('the same key on another path is a different request → 422', async () => {
    const first = await post('{"displayName":"path","role":"readonly"}', 'path-bound')
    assert.equal(first.status, 201)
    const elsewhere = await s.request('POST', '/api/v1/tenants/idem-acme/members', {
      token: admin, body: { email: 'path@idem.example.com', role: 'readonly' }, headers: { 'idempotency-key': 'path-bound' },
    })
    assert.equal(elsewhere.status, 422)
    assert.equal(elsewhere.body.code, 'IDEMPOTENCY_KEY_REUSED')
    assert.ok(!elsewhere.text.includes(first.body.key))
    const members = await s.request('GET', '/api/v1/tenants/idem-acme/members', { token: admin })
    assert.ok(!JSON.stringify(members.body).includes('path@idem.example.com'), 'the member was not added')
  })

  test('an invalid Idempotency-Key is 400 and creates nothing', async () => {
    const count = (await keyIds()).length
    for (const bad of ['has space', 'x'.repeat(256), 'tab\there', 'ünicode']) {
      const r = await post('{"displayName":"bad-key","role":"readonly"}', bad)
      assert.deepEqual([r.status, r.body], [400, { error: 'Invalid Idempotency-Key' }], JSON.stringify(bad))
    }
    const longest = await post('{"displayName":"long-key","role":"readonly"}', '~'.repeat(255))
    assert.equal(longest.status, 201, '255 visible ASCII characters are a valid key')
    assert.equal((await keyIds()).length, count + 1)
  })

  test('an error response is never replayed: the same request runs again', async () => {
    const start = clock.now()
    // 731 days ahead: too far now, fine once the clock has moved two days.
    const body = JSON.stringify({ displayName: 'later', role: 'readonly', expiresAt: toRfc3339(new Date(start.getTime() + 731 * DAY_MS)) })
    const first = await post(body, 'retry-after-failure')
    assert.equal(first.status, 400)
    assert.equal(first.body.code, 'INVALID_FIELD')
    assert.equal(first.body.field, 'expiresAt')
    const repeat = await post(body, 'retry-after-failure')
    assert.equal(repeat.status, 400)
    assert.equal(repeat.headers.get('idempotent-replayed'), null)

    clock.advance(2 * DAY_MS)
    const retried = await post(body, 'retry-after-failure')
    assert.equal(retried.status, 201, retried.text)
    assert.equal(retried.headers.get('idempotent-replayed'), null)
    // …and from now on that success is what the key replays.
    const replay = await post(body, 'retry-after-failure')
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
    assert.equal(replay.body.id, retried.body.id)
  })

  test('keys are scoped to the principal: another key with the same Idempotency-Key runs anew', async () => {
    const other = await s.createKey('idem-acme', admin, 'admin')
    const body = '{"displayName":"scoped","role":"readonly"}'
    const mine = await post(body, 'scoped-key')
    const theirs = await post(body, 'scoped-key', other.key)
    assert.equal(mine.status, 201)
    assert.equal(theirs.status, 201)
    assert.equal(theirs.headers.get('idempotent-replayed'), null)
    assert.notEqual(theirs.body.id, mine.body.id)
    assert.notEqual(theirs.body.key, mine.body.key, 'a raw key is never replayed to another principal')
  })

  test('concurrent requests with one key create exactly one object', async () => {
    const count = (await keyIds()).length
    const body = '{"displayName":"racing","role":"readonly"}'
    const results = await Promise.all(Array.from({ length: 8 }, () => post(body, 'race-key')))
    const created = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true')
    assert.equal(created.length, 1, results.map((r) => r.status).join(','))
    for (const r of results) {
      if (r.status === 201) assert.equal(r.body.id, created[0]!.body.id)
      else {
        assert.equal(r.status, 409)
        assert.equal(r.body.code, 'IDEMPOTENCY_KEY_IN_USE')
        assert.equal(r.headers.get('retry-after'), '1')
      }
    }
    assert.equal((await keyIds()).length, count + 1)
  })

  test('records expire after 24 hours: the same key then starts a new request', async () => {
    const body = '{"displayName":"daily","role":"readonly"}'
    const first = await post(body, 'daily-job')
    assert.equal(first.status, 201)
    clock.advance(DAY_MS - 60_000)
    assert.equal((await post(body, 'daily-job')).headers.get('idempotent-replayed'), 'true')
    clock.advance(2 * 60_000)
    const next = await post(body, 'daily-job')
    assert.equal(next.status, 201)
    assert.equal(next.headers.get('idempotent-replayed'), null)
    assert.notEqual(next.body.id, first.body.id)
  })

  test('Idempotency-Key is ignored on other methods', async () => {
    const r = await s.request('GET', keysPath, { token: admin, headers: { 'idempotency-key': 'has space' } })
    assert.equal(r.status, 200)
  })
})
