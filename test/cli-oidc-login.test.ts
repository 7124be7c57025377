import assert from 'node:assert/strict'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'yaml'
import type { ContextEntry } from '../src/cli/framework/settings.js'
import { cliHome, ensureBuilt, runKupe, type CliResult } from './helpers/cli.js'
import { completeDeviceVerification } from './helpers/device-verification.js'
import { eventually } from './helpers/eventually.js'
import { startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// The member behind an ID token is read from the store on every request (decision 0027), so
// this file runs on both engines: it is the both-engine test of the OpenID bearer path.
let idp: TestOidcProvider
let s: TestServer
const clientId = 'kupe-console'
const homes: string[] = []

before(async () => {
  ensureBuilt()
  idp = await startOidcProvider()
  s = await startTestServer({ overrides: { oidcIssuer: idp.issuer, oidcClientId: clientId } })
  await idp.configure(clientId, s.url)
  const owner = (await s.createTenant('umbrella', { owner: 'alice@umbrella.com' })).key
  for (const email of ['bob@umbrella.com', 'carol@umbrella.com']) {
    assert.equal((await s.request('POST', '/api/v1/tenants/umbrella/members', { token: owner, body: { email, role: 'readonly' } })).status, 201)
  }
})
after(async () => {
  await s?.stop()
  await idp?.stop()
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})

const expectOk = (r: CliResult) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
const configPath = (home: string) => join(home, '.config', 'kupe', 'config.yaml')
const savedContext = (home: string): ContextEntry | undefined =>
  (parse(readFileSync(configPath(home), 'utf8')) as { contexts: ContextEntry[] }).contexts.find((c) => c.name === 'umbrella')
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { email: string; exp: number }

function newHome(): string {
  const home = cliHome()
  homes.push(home)
  return home
}

const kupe = (home: string, args: string[], onStderr?: (chunk: string) => void) =>
  runKupe(home, args, { env: { KUPE_API_URL: s.url }, ...(onStderr ? { onStderr } : {}) })

/**
 * `kupe auth login --oidc --tenant umbrella` in `home`: waits for the URL and code it prints,
 * then lets `act` play the person at the browser. Returns the CLI's result and what it printed.
 */
async function deviceLogin(home: string, act: (uri: string, code: string) => Promise<unknown>): Promise<CliResult & { code_: string }> {
  let stderr = ''
  const running = kupe(home, ['auth', 'login', '--oidc', '--tenant', 'umbrella'], (chunk) => (stderr += chunk))
  const [, uri, code] = await eventually(async () => /open (\S+) and enter the code (\S+)/.exec(stderr) ?? undefined, 30_000, () => `the code on stderr: ${stderr}`)
  await act(uri!, code!)
  return { ...(await running), code_: code! }
}

/** Neither the CLI's output nor the server's log holds a token. */
function assertNoTokenShown(ctx: ContextEntry | undefined, ...results: CliResult[]) {
  const secrets = [ctx?.oidc?.idToken, ctx?.oidc?.refreshToken].filter((t): t is string => !!t)
  for (const secret of secrets) {
    for (const r of results) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'a token was printed')
    assert.ok(!s.logs.join('\n').includes(secret), 'a token was logged')
  }
}

describe('kupe auth login --oidc (device authorization grant, RFC 8628)', () => {
  test('prints a code, polls at the issuer\'s pace until the member confirms it, and later commands act as that member', async () => {
    const home = newHome()
    idp.device.interval = 1
    idp.device.slowDowns = 1
    const pollsBefore = idp.tokenRequestTimes.length
    const login = await deviceLogin(home, (uri, code) => completeDeviceVerification(uri, code, 'alice@umbrella.com').then((page) => {
      assert.match(page.html, /Sign-in Success/)
    }))
    expectOk(login)
    assert.match(login.stderr, /To sign in, open http:\/\/127\.0\.0\.1:\d+\/device and enter the code [A-Z]{4}-[A-Z]{4}/)
    assert.match(`${login.stdout}${login.stderr}`, /Logged in to http:\/\/127\.0\.0\.1:\d+ as alice@umbrella\.com on tenant "umbrella"; saved in context "umbrella"\./)

    // Polls at least `interval` apart; after `slow_down`, 5 s further apart (RFC 8628 §3.5).
    const polls = idp.tokenRequestTimes.slice(pollsBefore)
    assert.ok(polls.length >= 2, `polled ${polls.length} times`)
    const gaps = polls.slice(1).map((t, i) => t - polls[i]!)
    for (const gap of gaps) assert.ok(gap >= 5_900, `a poll ${gap} ms after the previous one, after slow_down`)

    // Saved in the context, in a file only its owner reads, with a refresh token (offline_access).
    assert.equal(statSync(configPath(home)).mode & 0o777, 0o600)
    const ctx = savedContext(home)
    assert.equal(ctx?.oidc?.email, 'alice@umbrella.com')
    assert.equal(claimsOf(ctx!.oidc!.idToken).email, 'alice@umbrella.com')
    assert.equal(ctx?.oidc?.expiresAt, new Date(claimsOf(ctx!.oidc!.idToken).exp * 1000).toISOString())
    assert.ok(ctx?.oidc?.refreshToken, 'a refresh token is kept')
    assert.equal(ctx?.token, undefined, 'no API key in the context')

    const create = await kupe(home, ['cluster', 'create', 'sso-web'])
    expectOk(create)
    const list = await kupe(home, ['cluster', 'list'])
    expectOk(list)
    assert.match(list.stdout, /sso-web/)
    const whoami = await kupe(home, ['auth', 'whoami', '-o', 'json'])
    expectOk(whoami)
    const me = JSON.parse(whoami.stdout) as Record<string, string>
    assert.deepEqual([me.member, me.role, me.tenant], ['alice@umbrella.com', 'admin', 'umbrella'])
    const contexts = await kupe(home, ['config', 'get-contexts'])
    assert.match(contexts.stdout, /sso:alice@umbrella\.com/)
    assertNoTokenShown(ctx, login, create, list, whoami, contexts)

    const logout = await kupe(home, ['auth', 'logout'])
    expectOk(logout)
    assert.equal(savedContext(home)?.oidc, undefined, 'logout forgets the sign-in')
    const gone = await kupe(home, ['cluster', 'list'])
    assert.equal(gone.code, 3, gone.stderr)
    assert.match(gone.stderr, /not logged in: run `kupe auth login` \(or `kupe auth login --oidc`\)/)
  })

  test('a readonly member reads but may not write; an expired ID token is renewed with the refresh token', async () => {
    const home = newHome()
    idp.device.interval = 1
    idp.device.idTokenTtl = 5
    try {
      const login = await deviceLogin(home, (uri, code) => completeDeviceVerification(uri, code, 'bob@umbrella.com'))
      expectOk(login)
      const first = savedContext(home)!.oidc!
      const write = await kupe(home, ['cluster', 'create', 'bobs'])
      assert.deepEqual([write.code, write.stderr], [3, 'error: Admin access required\n'])

      await eventually(async () => (Date.now() > Date.parse(first.expiresAt) + 1000 ? true : undefined), 15_000, 'the first ID token expired')
      const list = await kupe(home, ['cluster', 'list'])
      expectOk(list)
      const renewed = savedContext(home)!.oidc!
      assert.notEqual(renewed.idToken, first.idToken)
      assert.ok(Date.parse(renewed.expiresAt) > Date.now(), 'the saved token is valid again')
      assert.equal(claimsOf(renewed.idToken).email, 'bob@umbrella.com')
      assert.equal(statSync(configPath(home)).mode & 0o777, 0o600)
      assertNoTokenShown({ name: 'x', apiUrl: '', oidc: first }, login, write, list)
      assertNoTokenShown(savedContext(home), login, write, list)
    } finally {
      idp.device.idTokenTtl = 3600
    }
  })

  test('without a refresh token, an expired sign-in asks to sign in again (exit 3)', async () => {
    const home = newHome()
    idp.device.interval = 1
    idp.device.idTokenTtl = 3
    idp.device.refreshTokens = false
    try {
      expectOk(await deviceLogin(home, (uri, code) => completeDeviceVerification(uri, code, 'carol@umbrella.com')))
      const cred = savedContext(home)!.oidc!
      assert.equal(cred.refreshToken, undefined)
      await eventually(async () => (Date.now() > Date.parse(cred.expiresAt) ? true : undefined), 15_000, 'the ID token expired')
      const r = await kupe(home, ['cluster', 'list'])
      assert.equal(r.code, 3, r.stderr)
      assert.equal(r.stderr, `error: the sign-in of carol@umbrella.com expired at ${cred.expiresAt}: run \`kupe auth login --oidc\` again\n`)
    } finally {
      idp.device.idTokenTtl = 3600
      idp.device.refreshTokens = true
    }
  })

  test('a code the person aborts at the issuer fails with access_denied (exit 3) and saves nothing', async () => {
    const home = newHome()
    idp.device.interval = 1
    const r = await deviceLogin(home, (uri, code) => completeDeviceVerification(uri, code, 'alice@umbrella.com', { deny: true }))
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /^error: sign-in was denied at the issuer \(access_denied\); nothing was saved$/m)
    assert.throws(() => statSync(configPath(home)), /ENOENT/)
  })

  test('a code nobody confirms expires (exit 8)', async () => {
    const home = newHome()
    idp.device.interval = 1
    idp.device.deviceCodeTtl = 3
    try {
      const r = await deviceLogin(home, async () => undefined)
      assert.equal(r.code, 8, r.stderr)
      assert.match(r.stderr, new RegExp(`^error: the code ${r.code_} expired before it was confirmed: run \`kupe auth login --oidc\` again$`, 'm'))
      assert.throws(() => statSync(configPath(home)), /ENOENT/)
    } finally {
      idp.device.deviceCodeTtl = 600
    }
  })

  test('a person who is not a member of the tenant signs in at the issuer but is refused (exit 3), nothing saved', async () => {
    const home = newHome()
    idp.device.interval = 1
    const r = await deviceLogin(home, (uri, code) => completeDeviceVerification(uri, code, 'mallory@elsewhere.com'))
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /^error: Not a member of this tenant$/m)
    assert.throws(() => statSync(configPath(home)), /ENOENT/)
  })
})
