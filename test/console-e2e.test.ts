// test engines: one — its subject is the console in a real browser; every API it calls is tested on both engines elsewhere (decision 0031).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { parse } from 'yaml'
import { issueApiKey } from '../src/domain/apikeys/apikey-service.js'
import { createOidcVerifier } from '../src/domain/auth/oidc.js'
import { findTenantByName } from '../src/store/tenants.js'
import { assertAccessible, launchChromium, openPage, screenshot, signInWithKey } from './helpers/browser.js'
import { startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// One real server (simulated provider, fast steps), one real OpenID provider and one Chromium for
// the whole file: starting them is most of its time on a busy two-core machine.
let idp: TestOidcProvider
let s: TestServer
let browser: Browser
const clientId = 'kupe-console'

before(async () => {
  idp = await startOidcProvider()
  s = await startTestServer({ overrides: { oidcIssuer: idp.issuer, oidcClientId: clientId } })
  await idp.configure(clientId, s.url)
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await s?.stop()
  await idp?.stop()
})

/**
 * The web console in a real browser (issue 13): sign in with an API key, walk every page, do
 * what a tenant admin does there, and check what a readonly member sees. Every page is checked
 * with axe-core and photographed.
 */
describe('web console in Chromium', () => {
  let adminKey: string
  let readonlyKey: string
  const cspViolations: string[] = []

  before(async () => {
    adminKey = (await s.createTenant('acme', { owner: 'alice@acme.com' })).key
    readonlyKey = (await s.createKey('acme', adminKey, 'readonly')).key
  })

  const open = (context: BrowserContext, path: string) => openPage(context, `${s.url}${path}`, cspViolations)
  const signIn = (page: Page, key: string) => signInWithKey(page, 'acme', key)

  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()

  test('the console is served at / with a strict CSP, and the API stays at /api/v1', async () => {
    const r = await fetch(`${s.url}/`)
    assert.equal(r.status, 200)
    const csp = r.headers.get('content-security-policy') ?? ''
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(r.headers.get('x-frame-options'), 'DENY')
    const html = await r.text()
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html')
    assert.equal((await fetch(`${s.url}/api/v1/nothing`)).status, 404)
    assert.equal((await fetch(`${s.url}/api/v1/plans`)).status, 200)
  })

  test('an admin signs in, creates a cluster that reaches Running, downloads its kubeconfig', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const page = await open(context, '/clusters')
    await page.getByRole('heading', { name: 'Sign in to Kupe' }).waitFor()
    await assertAccessible(page, 'sign-in')
    await screenshot(page, '01-sign-in')

    await signIn(page, 'kupe_00000000_wrong')
    await page.getByRole('alert').filter({ hasText: 'Missing or invalid authentication' }).waitFor()
    await signIn(page, adminKey)
    await page.getByRole('heading', { name: 'Clusters' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/clusters')
    await page.getByText('No clusters yet.').waitFor()

    await page.getByLabel('Name', { exact: true }).fill('web')
    await page.getByRole('button', { name: 'Create cluster' }).click()
    const row = page.getByRole('row').filter({ hasText: 'web' })
    await row.getByText('Running').waitFor({ timeout: 20_000 })
    await assertAccessible(page, 'clusters')
    await screenshot(page, '02-clusters')

    await row.getByRole('link', { name: 'web' }).click()
    await page.getByRole('heading', { name: 'Cluster web' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/clusters/web')
    await page.getByText('Ready').first().waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download kubeconfig' }).click()])
    assert.equal(download.suggestedFilename(), 'acme-web.kubeconfig.yaml')
    const kubeconfig = parse(readFileSync((await download.path())!, 'utf8'))
    assert.equal(kubeconfig.kind, 'Config')
    assert.equal(kubeconfig.clusters.length, 1)
    assert.ok(kubeconfig.users[0].user.token, 'the kubeconfig carries a fresh credential')
    await assertAccessible(page, 'cluster detail')
    await screenshot(page, '03-cluster-detail')

    // Scaling is sent with If-Match: a change made by someone else meanwhile is refused and explained.
    await page.getByRole('button', { name: 'Upgrade or scale' }).click()
    const other = await s.request('PATCH', '/api/v1/tenants/acme/clusters/web', { token: adminKey, body: { resources: { memory: '3Gi' } } })
    assert.equal(other.status, 200)
    const form = page.getByRole('form', { name: 'Upgrade or scale' })
    await form.getByLabel('CPU').fill('2')
    await form.getByRole('button', { name: 'Apply change' }).click()
    await form.getByRole('alert').filter({ hasText: 'ETag mismatch: the cluster was changed by someone else' }).waitFor()
    await assertAccessible(page, 'cluster change conflict')
    await screenshot(page, '03b-cluster-change-conflict')
    await form.getByRole('button', { name: 'Cancel' }).click()
    await page.getByText('1 CPU, 3Gi memory').waitFor()
    await page.getByRole('button', { name: 'Upgrade or scale' }).click()
    await form.getByLabel('CPU').fill('2')
    await form.getByRole('button', { name: 'Apply change' }).click()
    await form.waitFor({ state: 'detached' })
    await page.getByText('2 CPU, 3Gi memory').waitFor()
    await page.getByText('Running').first().waitFor()

    // Vault: the value is never on the page until an admin asks for it.
    await nav(page, 'Vault')
    await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor()
    await page.getByLabel('Path', { exact: true }).fill('production/db')
    await page.getByLabel('Key', { exact: true }).fill('password')
    await page.getByLabel('Value', { exact: true }).fill('s3cr3t-value')
    await page.getByRole('button', { name: 'Write' }).click()
    await page.getByRole('status').filter({ hasText: 'Wrote production/db version 1' }).waitFor()
    await page.getByLabel('Value', { exact: true }).fill('')
    await page.getByRole('listitem').filter({ hasText: 'production/db' }).waitFor()
    assert.ok(!(await page.content()).includes('s3cr3t-value'), 'no secret value in the DOM before it is revealed')
    await assertAccessible(page, 'vault')
    await screenshot(page, '04-vault')
    await page.getByRole('button', { name: 'Reveal production/db' }).click()
    await page.getByText('s3cr3t-value').waitFor()
    await page.getByRole('button', { name: 'Hide' }).click()

    // A managed secret from that path into the cluster: its target becomes Synced.
    await nav(page, 'Secrets')
    await page.getByText('No managed secrets yet.').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('db')
    await page.getByLabel('Vault path').fill('production/db')
    await page.getByLabel('Target cluster').fill('web')
    await page.getByRole('button', { name: 'Create secret' }).click()
    const target = page.getByRole('row').filter({ hasText: 'default' })
    await target.getByText('Synced').waitFor({ timeout: 20_000 })
    await assertAccessible(page, 'secrets')
    await screenshot(page, '05-secrets')

    // An API key: shown once with a copy button, then revoked.
    await nav(page, 'API keys')
    await page.getByLabel('Name', { exact: true }).fill('ci deploys')
    await page.getByRole('button', { name: 'Create key' }).click()
    const shown = await page.getByTestId('new-key').textContent()
    assert.match(shown ?? '', /^kupe_[0-9a-f]{8}_/)
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: shown! })).status, 200)
    await assertAccessible(page, 'API keys')
    await screenshot(page, '06-apikeys')
    await page.getByRole('button', { name: 'Done' }).click()
    assert.equal(await page.getByTestId('new-key').count(), 0, 'the key is gone from the page once dismissed')
    const keyRow = page.getByRole('row').filter({ hasText: 'ci deploys' })
    await keyRow.getByRole('button', { name: 'Revoke' }).click()
    await keyRow.getByRole('button', { name: 'Yes, revoke' }).click()
    await keyRow.waitFor({ state: 'detached' })
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: shown! })).status, 401, 'revoked at once')

    await nav(page, 'Members')
    await page.getByRole('cell', { name: 'alice@acme.com' }).waitFor()
    await page.getByText('last admin').waitFor()
    await assertAccessible(page, 'members')
    await screenshot(page, '07-members')

    // The open period's Draft invoice, estimated from the running cluster.
    await nav(page, 'Invoices')
    await page.getByRole('heading', { name: /^\d{4}-\d{2} Draft$/ }).waitFor()
    await page.getByRole('figure').getByText('(estimate)').waitFor()
    await page.getByRole('cell', { name: 'Pro plan' }).waitFor()
    await page.getByRole('cell', { name: 'CPU, cluster web' }).waitFor()
    await assertAccessible(page, 'invoices')
    await screenshot(page, '08-invoices')

    await nav(page, 'Plans')
    await page.getByRole('cell', { name: 'Pro (your plan)' }).waitFor()
    await assertAccessible(page, 'plans')
    await screenshot(page, '09-plans')

    // Deleting asks first.
    await nav(page, 'Clusters')
    await page.getByRole('link', { name: 'web' }).click()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await page.getByRole('heading', { name: 'Clusters' }).waitFor()
    await context.close()
    assert.deepEqual(cspViolations, [])
  })

  test('at 360 px and in dark mode every page still fits and passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' })
    const page = await open(context, '/invoices')
    await signIn(page, adminKey)
    assert.equal(new URL(page.url()).pathname, '/invoices', 'the view asked for is the one shown after sign-in')
    for (const view of ['Clusters', 'Secrets', 'Vault', 'API keys', 'Members', 'Invoices', 'Plans']) {
      await nav(page, view)
      await page.getByRole('heading', { level: 1 }).filter({ hasText: view === 'Secrets' ? 'Managed secrets' : view }).waitFor()
      await page.getByText(/^Loading/).waitFor({ state: 'detached' })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `${view} fits in 360 px (overflow ${overflow} px)`)
      await assertAccessible(page, `${view} (dark, 360 px)`)
    }
    await nav(page, 'Clusters')
    await screenshot(page, '10-clusters-360-dark')
    await context.close()
  })

  test('a readonly member sees no write controls, and the API refuses them when forced', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/clusters')
    await signIn(page, readonlyKey)
    await page.getByRole('heading', { name: 'Clusters' }).waitFor()
    await page.getByText('readonly').first().waitFor()
    await page.getByText(/^Loading/).waitFor({ state: 'detached' })
    assert.equal(await page.getByRole('button', { name: 'Create cluster' }).count(), 0)
    await nav(page, 'Vault')
    await page.getByText(/^Loading/).waitFor({ state: 'detached' })
    assert.equal(await page.getByRole('button', { name: 'Write' }).count(), 0)
    assert.equal(await page.getByRole('button', { name: /^Reveal/ }).count(), 0)
    await nav(page, 'Secrets')
    await page.getByText(/^Loading/).waitFor({ state: 'detached' })
    assert.equal(await page.getByRole('button', { name: /Create secret|Add target|Delete/ }).count(), 0)
    await nav(page, 'Members')
    await page.getByRole('cell', { name: 'alice@acme.com' }).waitFor()
    assert.equal(await page.getByRole('button', { name: /Add member|Remove/ }).count(), 0)
    assert.equal(await page.getByRole('combobox').count(), 0)
    await nav(page, 'API keys')
    await page.getByRole('alert').filter({ hasText: 'Admin access required' }).waitFor()
    await assertAccessible(page, 'API keys (readonly)')
    await screenshot(page, '11-readonly-apikeys')

    // Forced from the page itself with the same key: the API says no.
    const forced = await page.evaluate(async (key) => {
      const r = await fetch('/api/v1/tenants/acme/clusters', {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'sneaky' }),
      })
      return { status: r.status, body: await r.json() }
    }, readonlyKey)
    assert.deepEqual(forced, { status: 403, body: { error: 'Admin access required' } })
    await context.close()
  })
})

/**
 * Member sign-in through a real OpenID provider (issue 13, spec §2.2): the console's
 * authorization code + PKCE flow in Chromium, then the ID token it got used as a bearer on the
 * API, where it acts as the member with their current role.
 */
describe('OpenID Connect sign-in', () => {
  let ownerKey: string

  before(async () => {
    ownerKey = (await s.createTenant('umbrella', { owner: 'alice@umbrella.com' })).key
    await s.createTenant('globex', { owner: 'gina@globex.com' })
  })

  /** Signs in through the provider's login form; resolves with the bearer the console then sends. */
  async function signInWithSso(page: Page, email: string): Promise<() => string | undefined> {
    let bearer: string | undefined
    page.on('request', (r) => {
      const auth = r.headers().authorization
      if (r.url().startsWith(`${s.url}/api/v1/`) && auth) bearer = auth.replace(/^Bearer /, '')
    })
    await page.goto(`${s.url}/clusters`)
    await page.getByLabel('Tenant').fill('umbrella')
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
    const bearer = await signInWithSso(page, 'alice@umbrella.com')
    await page.getByRole('heading', { name: 'Clusters' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/clusters', 'back at the view asked for, code and state gone from the URL')
    await page.getByText('umbrella · alice@umbrella.com · admin').waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'nothing left in web storage')
    await page.getByLabel('Name', { exact: true }).fill('sso-made')
    await page.getByRole('button', { name: 'Create cluster' }).click()
    await page.getByRole('link', { name: 'sso-made' }).waitFor()
    await assertAccessible(page, 'clusters after SSO')
    await screenshot(page, '12-signed-in-with-sso')

    const token = bearer()
    assert.ok(token && token.split('.').length === 3, 'the console sends the ID token as its bearer')
    const as = (path: string, method = 'GET', body?: unknown) => s.request(method, path, { token, body })
    const created = await as('/api/v1/tenants/umbrella/apikeys', 'POST', { displayName: 'made by alice', role: 'readonly' })
    assert.equal(created.status, 201)
    assert.equal(created.body.createdBy, 'alice@umbrella.com', 'createdBy is the member\'s email (spec §2.3)')
    assert.deepEqual((await as('/api/v1/tenants/globex')).body, { error: 'Not a member of this tenant' })

    // The role is read on every request: demoted, the same token can no longer write.
    assert.equal((await s.request('POST', '/api/v1/tenants/umbrella/members', { token: ownerKey, body: { email: 'carol@umbrella.com', role: 'admin' } })).status, 201)
    assert.equal((await s.request('PATCH', '/api/v1/tenants/umbrella/members/alice@umbrella.com', { token: ownerKey, body: { role: 'readonly' } })).status, 200)
    assert.equal((await as('/api/v1/tenants/umbrella/clusters')).status, 200)
    assert.deepEqual((await as('/api/v1/tenants/umbrella/clusters', 'POST', { name: 'after-demotion' })).body, { error: 'Admin access required' })
    // Removed, the token is a member of nothing.
    // By another admin: nobody removes themselves (alice's owner key acts as alice).
    const { db, clock, keys } = s.server.container
    const tenant = await findTenantByName(db, 'umbrella')
    const carolKey = (await issueApiKey({ keys }, db, { tenantId: tenant!.id, displayName: 'carol', role: 'admin', createdBy: 'carol@umbrella.com', now: clock.now() })).key
    const removed = await s.request('DELETE', '/api/v1/tenants/umbrella/members/alice@umbrella.com', { token: carolKey })
    assert.deepEqual([removed.status, removed.body], [204, undefined])
    assert.deepEqual((await as('/api/v1/tenants/umbrella/clusters')).body, { error: 'Not a member of this tenant' })

    // Tampered or unsigned tokens, and the same token seen past its expiry or by another audience, do not pass.
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
    assert.equal((await s.request('GET', '/api/v1/tenants/umbrella', { token: flipped })).status, 401)
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    assert.equal((await s.request('GET', '/api/v1/tenants/umbrella', { token: none })).status, 401)
    const exp = JSON.parse(Buffer.from(payload, 'base64url').toString()).exp as number
    const verifier = createOidcVerifier({ issuer: idp.issuer, clientId, audience: clientId })
    assert.equal((await verifier.verify(token, new Date((exp - 60) * 1000)))?.email, 'alice@umbrella.com')
    assert.equal(await verifier.verify(token, new Date((exp + 31) * 1000)), undefined, 'expired')
    const other = createOidcVerifier({ issuer: idp.issuer, clientId: 'another-app', audience: 'another-app' })
    assert.equal(await other.verify(token, new Date((exp - 60) * 1000)), undefined, 'wrong audience')
    await context.close()
  })

  test('signing out ends the session at the provider too: the next single sign-on asks who you are', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await signInWithSso(page, 'carol@umbrella.com')
    await page.getByText('umbrella · carol@umbrella.com · admin').waitFor()
    // Without the end-session step the provider would still hold carol's session, and signing in
    // again would skip its login form and put her straight back in.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${idp.issuer}/**`)
    await page.getByRole('button', { name: /sign me out/i }).click()
    await page.waitForURL(`${s.url}/signin`)
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'nothing left in web storage')
    await page.getByLabel('Tenant').fill('umbrella')
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click()
    await page.waitForURL(`${idp.issuer}/**`)
    await page.locator('input[name=login]').waitFor()
    await context.close()
  })

  test('an identity without a verified email is refused, and the console says so', async () => {
    await s.request('POST', '/api/v1/tenants/umbrella/members', { token: ownerKey, body: { email: 'unverified@umbrella.com', role: 'admin' } })
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await signInWithSso(page, 'unverified@umbrella.com')
    await page.getByRole('alert').filter({ hasText: 'Missing or invalid authentication' }).waitFor()
    await context.close()
  })
})
