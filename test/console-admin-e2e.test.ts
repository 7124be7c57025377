// test engines: one — its subject is the console in a real browser; the vault-versions, tenant settings and admin routes it calls are tested on both engines in vault, tenants and admin tests (decision 0031).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { assertAccessible, launchChromium, openPage, screenshot, signInWithKey } from './helpers/browser.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// One real server and one Chromium for the whole file, as in console-e2e.
let s: TestServer
let browser: Browser

before(async () => {
  s = await startTestServer()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await s?.stop()
})

/**
 * The console pages added for issue 13's second half: the vault's versions browser, tenant
 * settings with If-Match, and the platform admin area. Each page is checked with axe-core and
 * photographed (test-artifacts/console, as console-e2e).
 */
describe('console: vault versions, tenant settings, platform admin', () => {
  let adminKey: string
  let readonlyKey: string
  const cspViolations: string[] = []

  before(async () => {
    adminKey = (await s.createTenant('acme', { owner: 'alice@acme.com' })).key
    readonlyKey = (await s.createKey('acme', adminKey, 'readonly')).key
    await s.createTenant('globex', { owner: 'gina@globex.com' })
    for (const password of ['first-value', 'second-value']) {
      const r = await s.request('PUT', '/api/v1/tenants/acme/vault/production/db', { token: adminKey, body: { data: { password } } })
      assert.equal(r.status, 200)
    }
  })

  const open = (context: BrowserContext, path: string) => openPage(context, `${s.url}${path}`, cspViolations)
  const signIn = (page: Page, key: string) => signInWithKey(page, 'acme', key)

  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()
  const loaded = (page: Page) => page.getByText(/^Loading/).waitFor({ state: 'detached' })

  test('vault versions are listed with their write times, and a chosen version is revealed only on request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/vault')
    await signIn(page, adminKey)
    await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Versions of production/db' }).click()
    const versions = page.getByRole('region', { name: 'Versions of production/db' })
    await versions.getByText('Version 2 (current)').waitFor()
    await versions.getByText('Version 1', { exact: false }).first().waitFor()
    assert.equal(await versions.getByText(/written /).count(), 2, 'each version shows when it was written')
    const html = await page.content()
    assert.ok(!html.includes('first-value') && !html.includes('second-value'), 'no value in the DOM before one is revealed')
    await assertAccessible(page, 'vault versions')
    await screenshot(page, '13-vault-versions')

    await versions.getByRole('button', { name: 'Reveal version 1 of production/db' }).click()
    await versions.getByText('first-value').waitFor()
    assert.ok(!(await page.content()).includes('second-value'), 'only the chosen version was fetched')
    await versions.getByRole('button', { name: 'Hide version 1 of production/db' }).click()
    await versions.getByText('first-value').waitFor({ state: 'detached' })
    await context.close()
  })

  test('tenant settings are saved with If-Match, and a change made meanwhile is refused and explained', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/settings')
    await signIn(page, adminKey)
    await page.getByRole('heading', { name: 'Tenant settings' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/settings')
    const form = page.getByRole('form', { name: 'Plan and limits' })
    await form.getByLabel('Plan').waitFor()
    // Both limits are enforced by default; turning one off is a real change (a new resourceVersion).
    await form.getByRole('checkbox', { name: 'Enforce the log limit', checked: true }).waitFor()
    await form.getByLabel('Enforce the log limit').uncheck()
    // After a save the form is reopened on the tenant read again (its new ETag).
    const reread = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/tenants/acme')
    await form.getByRole('button', { name: 'Save settings' }).click()
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
    await reread
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: adminKey })).body.enforceLogLimit, false)
    await assertAccessible(page, 'settings')
    await screenshot(page, '14-settings')

    // Someone else changes the tenant after the form was (re)opened: the save is refused (412).
    await form.getByRole('checkbox', { name: 'Enforce the log limit', checked: false }).waitFor()
    const other = await s.request('PATCH', '/api/v1/tenants/acme', { token: adminKey, body: { enforceMetricsLimit: false } })
    assert.equal(other.status, 200)
    await form.getByLabel('Enforce the log limit').check()
    await form.getByRole('button', { name: 'Save settings' }).click()
    await form.getByRole('alert').filter({ hasText: 'ETag mismatch: the settings were changed by someone else' }).waitFor()
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: adminKey })).body.enforceLogLimit, false, 'nothing was overwritten')
    await assertAccessible(page, 'settings conflict')
    await screenshot(page, '14b-settings-conflict')
    await form.getByRole('button', { name: 'Load the current settings' }).click()
    await form.getByRole('checkbox', { name: 'Enforce the metrics limit', checked: false }).waitFor()
    await form.getByRole('checkbox', { name: 'Enforce the log limit', checked: false }).waitFor()
    await context.close()
    assert.deepEqual(cspViolations, [])
  })

  test('a readonly member sees the settings without write controls, and the API refuses a forced PATCH', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/settings')
    await signIn(page, readonlyKey)
    await page.getByRole('heading', { name: 'Tenant settings' }).waitFor()
    await loaded(page)
    await page.getByText('Enforce log limit').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).count(), 0)
    assert.equal(await page.getByRole('checkbox').count(), 0)
    assert.equal(await page.getByRole('combobox').count(), 0)
    await assertAccessible(page, 'settings (readonly)')
    await screenshot(page, '15-settings-readonly')

    // Versions are metadata any member may list; no Reveal for a readonly member.
    await nav(page, 'Vault')
    await page.getByRole('button', { name: 'Versions of production/db' }).click()
    await page.getByText('Version 2 (current)').waitFor()
    assert.equal(await page.getByRole('button', { name: /^Reveal/ }).count(), 0)

    const forced = await page.evaluate(async (key) => {
      const r = await fetch('/api/v1/tenants/acme', {
        method: 'PATCH', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ enforceLogLimit: false }),
      })
      return { status: r.status, body: await r.json() }
    }, readonlyKey)
    assert.deepEqual(forced, { status: 403, body: { error: 'Admin access required' } })
    await context.close()
  })

  test('the platform admin signs in with the admin token, suspends and resumes a tenant, grants a credit, sees host clusters', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/admin')
    await page.getByRole('heading', { name: 'Platform admin sign-in' }).waitFor()
    await assertAccessible(page, 'admin sign-in')
    await screenshot(page, '16-admin-sign-in')
    await page.getByLabel('Admin token').fill('kupeadm_wrong')
    await page.getByRole('button', { name: 'Sign in as platform admin' }).click()
    await page.getByRole('alert').filter({ hasText: 'Missing or invalid authentication' }).waitFor()
    // A tenant admin key is no admin token.
    await page.getByLabel('Admin token').fill(adminKey)
    await page.getByRole('button', { name: 'Sign in as platform admin' }).click()
    await page.getByRole('alert').filter({ hasText: 'Admin access required' }).waitFor()
    await page.getByLabel('Admin token').fill(s.adminToken)
    await page.getByRole('button', { name: 'Sign in as platform admin' }).click()
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/admin/tenants')
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length + document.cookie.length), 0, 'the admin token is in memory only')

    const row = page.getByRole('row').filter({ hasText: 'acme' })
    await row.getByText('Active').waitFor()
    await assertAccessible(page, 'admin tenants')
    await row.getByRole('button', { name: 'Suspend' }).click()
    await row.getByRole('button', { name: 'Yes, suspend' }).click()
    await row.getByText('Suspended').waitFor()
    await screenshot(page, '17-admin-tenants-suspended')
    const refused = await s.request('POST', '/api/v1/tenants/acme/clusters', { token: adminKey, body: { name: 'while-suspended' } })
    assert.deepEqual([refused.status, refused.body], [403, { error: 'Tenant suspended' }])
    await row.getByRole('button', { name: 'Resume' }).click()
    await row.getByText('Active').waitFor()
    assert.equal((await s.request('GET', '/api/v1/admin/tenants/acme', { token: s.adminToken })).body.status.phase, 'Active')

    await row.getByRole('link', { name: 'acme' }).click()
    await page.getByRole('heading', { name: 'Tenant acme' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/admin/tenants/acme')
    await page.getByText('No credits granted.').waitFor()
    await page.getByLabel('Amount').fill('20.5')
    await page.getByLabel('Reason').fill('Goodwill')
    await page.getByRole('button', { name: 'Grant credit' }).click()
    await page.getByRole('alert').waitFor()
    await page.getByLabel('Amount').fill('20.00')
    await page.getByRole('button', { name: 'Grant credit' }).click()
    await page.getByRole('status').filter({ hasText: 'Granted 20.00.' }).waitFor()
    await page.getByRole('row').filter({ hasText: 'Goodwill' }).getByRole('cell', { name: '20.00' }).first().waitFor()
    const credits = await s.request('GET', '/api/v1/admin/tenants/acme/credits', { token: s.adminToken })
    assert.deepEqual(credits.body.items.map((k: { amount: string; remaining: string }) => [k.amount, k.remaining]), [['20.00', '20.00']])
    await assertAccessible(page, 'admin tenant credits')
    await screenshot(page, '18-admin-tenant-credits')

    await nav(page, 'Host clusters')
    await page.getByRole('heading', { name: 'Host clusters' }).waitFor()
    await page.getByText('No host clusters registered yet').waitFor()
    await assertAccessible(page, 'admin host clusters')
    await screenshot(page, '19-admin-host-clusters')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Platform admin sign-in' }).waitFor()
    await context.close()
    assert.deepEqual(cspViolations, [])
  })

  test('at 360 px and in dark mode the new pages fit and pass axe', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' })
    const page = await open(context, '/settings')
    await signIn(page, adminKey)
    const fits = async (view: string) => {
      await loaded(page)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `${view} fits in 360 px (overflow ${overflow} px)`)
      await assertAccessible(page, `${view} (dark, 360 px)`)
    }
    await page.getByRole('heading', { name: 'Tenant settings' }).waitFor()
    await fits('settings')
    await nav(page, 'Vault')
    await page.getByRole('button', { name: 'Versions of production/db' }).click()
    await page.getByText('Version 2 (current)').waitFor()
    await fits('vault versions')
    await page.goto(`${s.url}/admin`)
    await page.getByLabel('Admin token').fill(s.adminToken)
    await page.getByRole('button', { name: 'Sign in as platform admin' }).click()
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor()
    await fits('admin tenants')
    await screenshot(page, '20-admin-tenants-360-dark')
    await nav(page, 'Host clusters')
    await page.getByRole('heading', { name: 'Host clusters' }).waitFor()
    await fits('admin host clusters')
    await context.close()
  })
})
