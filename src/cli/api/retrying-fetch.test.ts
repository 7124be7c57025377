import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { exitCodeFor } from '../framework/exit-codes.js'
import { retryAfterSeconds, retryingFetch, type RetryPolicy } from './retrying-fetch.js'

const policy: RetryPolicy = { rateLimitRetries: 3, unavailableRetries: 3, backoffMs: 100, maxRetryAfterSeconds: 30, attemptTimeoutMs: 5000 }

/** A transport that answers from a script and records what it was sent. */
function scripted(answers: Array<Response | Error>) {
  const seen: Array<{ method: string; body: string; key: string | null }> = []
  const transport = (async (input: Request) => {
    seen.push({ method: input.method, body: await input.text(), key: input.headers.get('idempotency-key') })
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }) as typeof fetch
  return { transport, seen }
}

function harness(answers: Array<Response | Error>) {
  const { transport, seen } = scripted(answers)
  const sleeps: number[] = []
  const notices: string[] = []
  const send = retryingFetch(policy, { sleep: async (ms) => void sleeps.push(ms), notice: (m) => void notices.push(m) }, transport)
  return { send, seen, sleeps, notices }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
const req = (method: string, headers: Record<string, string> = {}, body?: string) =>
  new Request('http://kupe.test/api/v1/tenants/acme/clusters', { method, headers, ...(body ? { body } : {}) })

describe('retrying transport', () => {
  test('429 waits Retry-After (capped at 30 s) and retries, for every method', async () => {
    const h = harness([json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '2' }), json(429, { error: 'x' }, { 'retry-after': '120' }), json(200, { ok: true })])
    const res = await h.send(req('PATCH', {}, '{"resources":{}}'))
    assert.equal(res.status, 200)
    assert.equal(h.seen.length, 3)
    assert.deepEqual(h.seen.map((s) => s.body), ['{"resources":{}}', '{"resources":{}}', '{"resources":{}}'])
    assert.ok(h.sleeps[0]! >= 2000 && h.sleeps[0]! < 2300, `slept ${h.sleeps[0]}`)
    assert.ok(h.sleeps[1]! >= 30_000 && h.sleeps[1]! < 30_300, `slept ${h.sleeps[1]}`)
    assert.match(h.notices[0]!, /rate limited; retrying in 2s/)
  })

  test('429 after every retry is returned as is (exit 6 upstream)', async () => {
    const h = harness([0, 1, 2, 3].map(() => json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '1' })))
    const res = await h.send(req('GET'))
    assert.equal(res.status, 429)
    assert.equal(h.seen.length, 4)
  })

  test('GET is retried on 503 with growing backoff', async () => {
    const h = harness([json(503, { error: 'Service unavailable' }), json(502, { error: 'x' }), json(200, { ok: 1 })])
    const res = await h.send(req('GET'))
    assert.equal(res.status, 200)
    assert.equal(h.seen.length, 3)
    assert.ok(h.sleeps[0]! >= 100 && h.sleeps[0]! <= 125 && h.sleeps[1]! >= 200 && h.sleeps[1]! <= 250, String(h.sleeps))
  })

  test('POST without an Idempotency-Key and PATCH are never repeated after 503 or a network failure', async () => {
    const post = harness([json(503, { error: 'Service unavailable' })])
    assert.equal((await post.send(req('POST', { 'content-type': 'application/json' }, '{"name":"web"}'))).status, 503)
    assert.equal(post.seen.length, 1)
    const patch = harness([refused()])
    await assert.rejects(patch.send(req('PATCH', {}, '{}')), (err) => exitCodeFor(err) === 7)
    assert.equal(patch.seen.length, 1)
  })

  test('POST with an Idempotency-Key is repeated with the same key and body', async () => {
    const h = harness([refused(), json(504, { error: 'x' }), json(201, { name: 'web' })])
    const res = await h.send(req('POST', { 'idempotency-key': 'k-1' }, '{"name":"web"}'))
    assert.equal(res.status, 201)
    assert.deepEqual(h.seen.map((s) => [s.key, s.body]), [['k-1', '{"name":"web"}'], ['k-1', '{"name":"web"}'], ['k-1', '{"name":"web"}']])
  })

  test('a server that stays unreachable is an unavailable error after the retries', async () => {
    const h = harness([refused(), refused(), refused(), refused()])
    await assert.rejects(h.send(req('GET')), (err: Error) => exitCodeFor(err) === 7 && /cannot reach the Kupe API at http:\/\/kupe.test \(ECONNREFUSED\)/.test(err.message))
    assert.equal(h.seen.length, 4)
  })

  test('409 IDEMPOTENCY_KEY_IN_USE waits and asks again; other 409s are final', async () => {
    const busy = harness([json(409, { error: 'A request with this Idempotency-Key is in progress', code: 'IDEMPOTENCY_KEY_IN_USE' }, { 'retry-after': '1' }), json(201, {})])
    assert.equal((await busy.send(req('POST', { 'idempotency-key': 'k' }, '{}'))).status, 201)
    const taken = harness([json(409, { error: 'Cluster name already exists' })])
    assert.equal((await taken.send(req('POST', { 'idempotency-key': 'k' }, '{}'))).status, 409)
    assert.equal(taken.seen.length, 1)
  })

  test('Retry-After accepts seconds and HTTP dates', () => {
    assert.equal(retryAfterSeconds('7', 0), 7)
    assert.equal(retryAfterSeconds(new Date(10_000).toUTCString(), 0), 10)
    assert.equal(retryAfterSeconds('soon', 0), undefined)
    assert.equal(retryAfterSeconds(null, 0), undefined)
  })
})
