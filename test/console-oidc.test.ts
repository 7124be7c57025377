import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { issueApiKey } from '../src/domain/apikeys/apikey-service.js'
import { createOidcVerifier } from '../src/domain/auth/oidc.js'
import { findTenantByName } from '../src/store/tenants.js'
import { assertAccessible, launchChromium, screenshot } from './helpers/browser.js'
import { startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * Member sign-in through a real OpenID provider (issue 13, spec §2.2): the console's
 * authorization code + PKCE flow in Chromium, then the ID token it got used as a bearer on the
 * API, where it acts as the member with their current role.
 */
describe('OpenID Connect sign-in', () => {
  let idp: TestOidcProvider
  let s: TestServer
  let browser: Browser
  let ownerKey: string
  const clientId = 'kupe-console'

  before(async () => {
    idp = await startOidcProvider()
    s = await startTestServer({ overrides: { oidcIssuer: idp.issuer, oidcClientId: clientId } })
    await idp.configure(clientId, s.url)
    ownerKey = (await s.createTenant('acme', { owner: 'alice@acme.com' })).key
    await s.createTenant('globex', { owner: 'gina@globex.com' })
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await s?.stop()
    await idp?.stop()
  })

  /** Signs in through the provider's login form; resolves with the bearer the console then sends. */
  async function signInWithSso(page: Page, email: string): Promise<() => string | undefined> {
    let bearer: string | undefined
    page.on('request', (r) => {
      const auth = r.headers().authorization
      if (r.url().startsWith(`${s.url}/api/v1/`) && auth) bearer = auth.replace(/^Bearer /, '')
    })
    await page.goto(`${s.url}/clusters`)
    await page.getByLabel('Tenant').fill('acme')
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click()
    await page.waitForURL(`${idp.issuer}/**`)
    await page.locator('input[name=login]').fill(email)
    await page.locator('input[name=password]').fill('any password')
    await page.locator('button[type=submit]').click()
    return () => bearer
  }

  test('a member signs in through the provider and acts with their current role; others are refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const bearer = await signInWithSso(page, 'alice@acme.com')
    await page.getByRole('heading', { name: 'Clusters' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/clusters', 'back at the view asked for, code and state gone from the URL')
    await page.getByText('acme · alice@acme.com · admin').waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'nothing left in web storage')
    await page.getByLabel('Name', { exact: true }).fill('sso-made')
    await page.getByRole('button', { name: 'Create cluster' }).click()
    await page.getByRole('link', { name: 'sso-made' }).waitFor()
    await assertAccessible(page, 'clusters after SSO')
    await screenshot(page, '12-signed-in-with-sso')

    const token = bearer()
    assert.ok(token && token.split('.').length === 3, 'the console sends the ID token as its bearer')
    const as = (path: string, method = 'GET', body?: unknown) => s.request(method, path, { token, body })
    const created = await as('/api/v1/tenants/acme/apikeys', 'POST', { displayName: 'made by alice', role: 'readonly' })
    assert.equal(created.status, 201)
    assert.equal(created.body.createdBy, 'alice@acme.com', 'createdBy is the member\'s email (spec §2.3)')
    assert.deepEqual((await as('/api/v1/tenants/globex')).body, { error: 'Not a member of this tenant' })

    // The role is read on every request: demoted, the same token can no longer write.
    assert.equal((await s.request('POST', '/api/v1/tenants/acme/members', { token: ownerKey, body: { email: 'carol@acme.com', role: 'admin' } })).status, 201)
    assert.equal((await s.request('PATCH', '/api/v1/tenants/acme/members/alice@acme.com', { token: ownerKey, body: { role: 'readonly' } })).status, 200)
    assert.equal((await as('/api/v1/tenants/acme/clusters')).status, 200)
    assert.deepEqual((await as('/api/v1/tenants/acme/clusters', 'POST', { name: 'after-demotion' })).body, { error: 'Admin access required' })
    // Removed, the token is a member of nothing.
    // By another admin: nobody removes themselves (alice's owner key acts as alice).
    const { db, clock, keys } = s.server.container
    const tenant = await findTenantByName(db, 'acme')
    const carolKey = (await issueApiKey({ keys }, db, { tenantId: tenant!.id, displayName: 'carol', role: 'admin', createdBy: 'carol@acme.com', now: clock.now() })).key
    const removed = await s.request('DELETE', '/api/v1/tenants/acme/members/alice@acme.com', { token: carolKey })
    assert.deepEqual([removed.status, removed.body], [204, undefined])
    assert.deepEqual((await as('/api/v1/tenants/acme/clusters')).body, { error: 'Not a member of this tenant' })

    // Tampered or unsigned tokens, and the same token seen past its expiry or by another audience, do not pass.
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: flipped })).status, 401)
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: none })).status, 401)
    const exp = JSON.parse(Buffer.from(payload, 'base64url').toString()).exp as number
    const verifier = createOidcVerifier({ issuer: idp.issuer, clientId, audience: clientId })
    assert.equal((await verifier.verify(token, new Date((exp - 60) * 1000)))?.email, 'alice@acme.com')
    assert.equal(await verifier.verify(token, new Date((exp + 31) * 1000)), undefined, 'expired')
    const other = createOidcVerifier({ issuer: idp.issuer, clientId: 'another-app', audience: 'another-app' })
    assert.equal(await other.verify(token, new Date((exp - 60) * 1000)), undefined, 'wrong audience')
    await context.close()
  })

  test('an identity without a verified email is refused, and the console says so', async () => {
    await s.request('POST', '/api/v1/tenants/acme/members', { token: ownerKey, body: { email: 'unverified@acme.com', role: 'admin' } })
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await signInWithSso(page, 'unverified@acme.com')
    await page.getByRole('alert').filter({ hasText: 'Missing or invalid authentication' }).waitFor()
    await context.close()
  })
})
