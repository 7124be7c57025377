import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Rate limits and the authentication-failure penalty (spec §4). Each test sends from its own
// client IP (X-Forwarded-For through the trusted loopback proxy) so buckets and failure windows
// of one test never leak into another.

let ipCounter = 0
function clientIp(): Record<string, string> {
  ipCounter++
  return { 'x-forwarded-for': `127.20.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}` }
}

/**
 * Runs a burst from a fresh client IP. A bucket refills one token per second, so a burst that a
 * loaded machine stretched past a second proves nothing: only then is it retried (at most twice);
 * a failure within the second is a real one.
 */
async function quickly(run: (ip: Record<string, string>) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now()
    try {
      await run(clientIp())
      return
    } catch (err) {
      if (performance.now() - started < 900 || attempt === 3) throw err
    }
  }
}

describe('request rate (§4.1, §4.2): burst 5, 1 token per second', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer({ overrides: { rateLimit: '1', rateBurst: '5', trustedProxies: '127.0.0.1' } })
  })
  after(() => s.stop())

  test('the sixth quick request is 429 Rate limit exceeded with Retry-After and r=0', () => quickly(async (ip) => {
    const remaining: string[] = []
    for (let i = 0; i < 5; i++) {
      const r = await s.request('GET', '/api/v1/plans', { headers: ip })
      assert.equal(r.status, 200, `request ${i + 1}`)
      assert.equal(r.headers.get('ratelimit-policy'), '"ip";q=5;w=5')
      remaining.push(/r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1] ?? '?')
    }
    assert.deepEqual(remaining, ['4', '3', '2', '1', '0'])
    const refused = await s.request('GET', '/api/v1/plans', { headers: ip })
    assert.equal(refused.status, 429)
    assert.deepEqual(refused.body, { error: 'Rate limit exceeded' })
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After ${refused.headers.get('retry-after')}`)
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/)
    assert.match(refused.headers.get('ratelimit') ?? '', /^"ip";r=0;t=[1-9]\d*$/)
    assert.equal(refused.headers.get('ratelimit-policy'), '"ip";q=5;w=5')
    assert.ok(refused.headers.get('x-request-id'))
  }))

  test('every route spends from the same bucket, authenticated and system routes alike', () => quickly(async (ip) => {
    const paths = ['/healthz', '/version', '/api/v1/plans', '/api/v1/tenants/nobody', '/api/v1/nowhere']
    for (const p of paths) assert.notEqual((await s.request('GET', p, { headers: ip })).status, 429, p)
    for (const p of [...paths, '/metrics']) {
      const r = await s.request('GET', p, { headers: ip })
      assert.deepEqual([r.status, r.body], [429, { error: 'Rate limit exceeded' }], p)
    }
  }))

  test('a refused request is refused before routing and authentication', () => quickly(async (ip) => {
    for (let i = 0; i < 5; i++) await s.request('GET', '/healthz', { headers: ip })
    const unknown = await s.request('GET', '/api/v1/nowhere', { headers: ip })
    assert.equal(unknown.status, 429)
    const noKey = await s.request('GET', '/api/v1/tenants/acme', { headers: { ...ip, authorization: 'Bearer bad' } })
    assert.equal(noKey.status, 429)
  }))

  test('other clients keep their own buckets, and tokens come back over time', () => quickly(async (ip) => {
    for (let i = 0; i < 5; i++) await s.request('GET', '/healthz', { headers: ip })
    assert.equal((await s.request('GET', '/healthz', { headers: ip })).status, 429)
    assert.equal((await s.request('GET', '/healthz', { headers: clientIp() })).status, 200)
    // Refused requests spend nothing, so polling does not starve the bucket; a token is back within ~1 s.
    await eventually(async () => ((await s.request('GET', '/healthz', { headers: ip })).status === 200 ? true : undefined), 5000, 'a refilled token')
  }))
})

describe('authentication-failure penalty (§4.3)', () => {
  let s: TestServer
  let key: string
  before(async () => {
    s = await startTestServer({ overrides: { trustedProxies: '127.0.0.1' } })
    key = (await s.createTenant('rl-acme')).key
  })
  after(() => s.stop())

  const tenantPath = '/api/v1/tenants/rl-acme'

  async function fail(ip: Record<string, string>, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = await s.request('GET', tenantPath, { headers: { ...ip, authorization: 'Bearer kupe_not_a_real_key' } })
      assert.equal(r.status, 401, `failure ${i + 1}`)
    }
  }

  test('five failures → the next authenticated request, even with a good key, is 429 with Retry-After', async () => {
    const ip = clientIp()
    await fail(ip, 5)
    const r = await s.request('GET', tenantPath, { token: key, headers: ip })
    assert.equal(r.status, 429)
    assert.deepEqual(r.body, { error: 'Too many authentication failures' })
    assert.equal(r.headers.get('retry-after'), '1')
    assert.match(r.headers.get('ratelimit') ?? '', /^"ip";r=\d+;t=\d+$/)
    const noHeader = await s.request('GET', tenantPath, { headers: ip })
    assert.equal(noHeader.status, 429, 'every authenticated route is refused during the penalty')
  })

  test('public routes are unaffected by the penalty', async () => {
    const ip = clientIp()
    await fail(ip, 5)
    assert.equal((await s.request('GET', tenantPath, { token: key, headers: ip })).status, 429)
    assert.equal((await s.request('GET', '/api/v1/plans', { headers: ip })).status, 200)
    assert.equal((await s.request('GET', '/api/v1/plans/pro', { headers: { ...ip, authorization: 'Bearer kupe_bad' } })).status, 200)
    assert.equal((await s.request('GET', '/healthz', { headers: ip })).status, 200)
    assert.equal((await s.request('GET', '/api/v1/openapi.json', { headers: ip })).status, 200)
  })

  test('four failures do not penalise; requests without Authorization are not failures', async () => {
    const ip = clientIp()
    await fail(ip, 4)
    for (let i = 0; i < 6; i++) assert.equal((await s.request('GET', tenantPath, { headers: ip })).status, 401)
    const ok = await s.request('GET', tenantPath, { token: key, headers: ip })
    assert.equal(ok.status, 200)
  })

  test('a success clears nothing: after the 1 s penalty the sixth failure starts a 2 s one', async () => {
    const ip = clientIp()
    await fail(ip, 5)
    assert.equal((await s.request('GET', tenantPath, { token: key, headers: ip })).status, 429)
    // Polling during the penalty is refused without counting as a failure.
    await eventually(async () => ((await s.request('GET', tenantPath, { token: key, headers: ip })).status === 200 ? true : undefined), 5000, 'penalty to end')
    await fail(ip, 1)
    const r = await s.request('GET', tenantPath, { token: key, headers: ip })
    assert.equal(r.status, 429)
    assert.equal(r.headers.get('retry-after'), '2')
  })

  test('the penalty is per client IP', async () => {
    const bad = clientIp()
    await fail(bad, 5)
    assert.equal((await s.request('GET', tenantPath, { token: key, headers: bad })).status, 429)
    assert.equal((await s.request('GET', tenantPath, { token: key, headers: clientIp() })).status, 200)
  })
})
