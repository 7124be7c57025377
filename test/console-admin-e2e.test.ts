// test engines: one — its subject is the console in a real browser; the vault-versions, tenant settings, admin and host-cluster (/v1/clusters) routes it calls are tested on both engines in vault, tenants, admin and kubeop-manager tests (decision 0031).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { isDeepStrictEqual } from 'node:util'
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import type { Browser, BrowserContext, Page, Response as PlaywrightResponse } from 'playwright-core'
import { assertAccessible, launchChromium, openPage, screenshot, signInWithKey } from './helpers/browser.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { startKube, type Kube } from './k8s.js'

// One real server, one Chromium and one kube-apiserver (the host cluster the admin pages list)
// for the whole file, as in console-e2e.
let s: TestServer
let browser: Browser
let kube: Kube

before(async () => {
  // Independent starts, so the file waits for the slowest rather than the sum; whatever started is
  // kept for after() even when another failed.
  const [server, chromium, apiserver] = await Promise.allSettled([startTestServer(), launchChromium(), startKube()])
  if (server.status === 'fulfilled') s = server.value
  if (chromium.status === 'fulfilled') browser = chromium.value
  if (apiserver.status === 'fulfilled') kube = apiserver.value
  for (const r of [server, chromium, apiserver]) if (r.status === 'rejected') throw r.reason
})
after(async () => {
  await browser?.close()
  // The server first: its health controller probes the host cluster until it stops.
  await s?.stop()
  await kube?.stop()
})

/** GET /v1/clusters[/{id}] as the API answers it (src/domain/hostclusters/schema.ts). */
interface HostClusterBody {
  id: string
  name: string
  server: string
  tenants: number
  created_at: string
  labels: Record<string, string>
  status: { phase: string; server_version?: string; node_count?: number; nodes_ready?: number; checked_at: string; conditions: Array<{ type: string; status: string; reason: string; message: string }> }
}

/**
 * The console pages added for issue 13's second half: the vault's versions browser, tenant
 * settings with If-Match, and the platform admin area, whose host clusters are a real
 * kube-apiserver registered through the manager API. Each page is checked with axe-core and
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
  const signInAsAdmin = async (page: Page) => {
    await page.getByLabel('Admin token').fill(s.adminToken)
    await page.getByRole('button', { name: 'Sign in as platform admin' }).click()
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor()
  }

  /** A Node object with no kubelet behind it: counted by the health check, never Ready. */
  const addNode = (name: string) => {
    const kc = new KubeConfig()
    kc.loadFromFile(kube.kubeconfigPath)
    return kc.makeApiClient(CoreV1Api).createNode({ body: { metadata: { name } } })
  }
  // The host cluster is registered through the manager API, once, by whichever test needs it first:
  // the console has no register form (a kubeconfig is a credential file, which `kupe admin
  // host-cluster register --kubeconfig` reads from disk). autoBootstrap false: no in-process
  // operator working the kube meanwhile; these pages do not show it (kubeop-flow tests it).
  // One node first, so "ready of count" shows two different numbers.
  let registered: Promise<HostClusterBody> | undefined
  const registerHostCluster = () => (registered ??= (async () => {
    await addNode('worker-1')
    const body = { name: 'dev-1', kubeconfig: readFileSync(kube.kubeconfigPath, 'utf8'), autoBootstrap: false }
    const r = await s.request('POST', '/v1/clusters', { token: s.adminToken, body })
    assert.equal(r.status, 201, r.text)
    return r.body as HostClusterBody
  })())
  const hostRow = (page: Page) => page.getByRole('row').filter({ has: page.getByRole('link', { name: 'dev-1', exact: true }) })
  /** `formatTime` of console/src/ui.tsx, in the page's own locale and time zone. */
  const localTime = (page: Page, iso: string) => page.evaluate((t) => new Date(t).toLocaleString(), iso)
  /** The detail page's facts (`<dl>`), term → value. */
  const facts = async (page: Page) => {
    const [terms, values] = [await page.getByRole('term').allTextContents(), await page.getByRole('definition').allTextContents()]
    return Object.fromEntries(terms.map((term, i) => [term, values[i]]))
  }

  /** The body of the last successful GET of `path` the page received: what the API told it. */
  const lastAnswer = <T>(page: Page, path: string): (() => Promise<T | undefined>) => {
    let last: PlaywrightResponse | undefined
    page.on('response', (r) => {
      if (r.ok() && r.request().method() === 'GET' && new URL(r.url()).pathname === path) last = r
    })
    return async () => (last ? (await last.json()) as T : undefined)
  }
  /**
   * Polls until the page shows (`shown`) what `expected` makes of the API's last answer, and returns
   * that answer: the list refetches every 10 s and the health controller re-checks meanwhile, so
   * the answer to compare with is the one the page last rendered.
   */
  const showsAnswer = async <T>(view: string, answer: () => Promise<T | undefined>, expected: (body: T) => Promise<unknown>, shown: () => Promise<unknown>): Promise<T> => {
    let seen: { expected?: unknown; shown?: unknown } = {}
    return eventually(async () => {
      const body = await answer()
      if (body === undefined) return undefined
      seen = { expected: await expected(body), shown: await shown() }
      return isDeepStrictEqual(seen.expected, seen.shown) ? body : undefined
    }, 15_000, () => `${view} to show what the API answered: ${JSON.stringify(seen)}`)
  }

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

  test('tenant settings and plan are saved with If-Match, a change made meanwhile or a plan the clusters exceed is refused and explained', async () => {
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

    // The plan is changed the same way; a plan the tenant's clusters do not fit is refused with
    // the API's reason, and the plan stays.
    await form.getByLabel('Plan').selectOption({ label: 'Enterprise' })
    await form.getByRole('button', { name: 'Save settings' }).click()
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: adminKey })).body.plan, 'enterprise')
    const extra = ['plan-a', 'plan-b', 'plan-c']
    for (const name of extra) {
      const created = await s.request('POST', '/api/v1/tenants/acme/clusters', { token: adminKey, body: { name } })
      assert.equal(created.status, 201, created.text)
    }
    await form.getByLabel('Plan').selectOption({ label: 'Starter' })
    await form.getByRole('button', { name: 'Save settings' }).click()
    await form.getByRole('alert').filter({ hasText: 'Current clusters exceed the limits of plan "starter"' }).waitFor()
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: adminKey })).body.plan, 'enterprise', 'the refused plan was not applied')
    // Beside the refusal, the facts are read again: the clusters it is about are counted.
    await page.locator('dt:text-is("Clusters") + dd').filter({ hasText: /^3$/ }).waitFor()
    await form.getByRole('alert').filter({ hasText: 'exceed the limits' }).waitFor()
    await assertAccessible(page, 'settings plan refused')
    await screenshot(page, '14c-settings-plan-refused')
    for (const name of extra) assert.equal((await s.request('DELETE', `/api/v1/tenants/acme/clusters/${name}`, { token: adminKey })).status, 204)
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

  test('the platform admin signs in with the admin token, suspends and resumes a tenant, grants a credit, sees no host cluster yet', async () => {
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

    // Before any is registered (the next test registers one).
    await nav(page, 'Host clusters')
    await page.getByRole('heading', { name: 'Host clusters' }).waitFor()
    await page.getByText('No host clusters registered yet').waitFor()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Platform admin sign-in' }).waitFor()
    await context.close()
    assert.deepEqual(cspViolations, [])
  })

  test('a registered host cluster is listed with its last check, and its detail shows a live check', async () => {
    const host = await registerHostCluster()
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await open(context, '/admin')
    const listAnswer = lastAnswer<HostClusterBody[]>(page, '/v1/clusters')
    const detailAnswer = lastAnswer<HostClusterBody>(page, `/v1/clusters/${host.id}`)
    await signInAsAdmin(page)

    await nav(page, 'Host clusters')
    await page.getByRole('heading', { name: 'Host clusters' }).waitFor()
    const row = hostRow(page)
    const listed = await showsAnswer('the host clusters list', listAnswer, async (items) => {
      const h = items.find((i) => i.id === host.id)
      return h && [h.name, h.status.phase, h.server, `${h.status.nodes_ready} of ${h.status.node_count}`, String(h.tenants), await localTime(page, h.status.checked_at)]
    }, () => row.getByRole('cell').allTextContents())
    // What the API reported is the real cluster's: ready, at its address, its one node not ready.
    assert.deepEqual(listed.map((h) => [h.name, h.status.phase, h.server, h.status.nodes_ready, h.status.node_count, h.tenants]), [['dev-1', 'Ready', kube.server, 0, 1, 0]])
    await assertAccessible(page, 'admin host clusters')
    await screenshot(page, '19-admin-host-clusters')

    // A second node appears after the stored check; the detail's live check must see it. Opened
    // from the keyboard, as the list's link is the way there.
    await addNode('worker-2')
    await row.getByRole('link', { name: 'dev-1', exact: true }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Host cluster dev-1' }).waitFor()
    assert.equal(new URL(page.url()).pathname, `/admin/clusters/${host.id}`)
    const detail = await showsAnswer('the host cluster detail', detailAnswer, async (h) => ({
      Phase: h.status.phase, Server: h.server, Version: h.status.server_version, Nodes: `${h.status.nodes_ready} of ${h.status.node_count} ready`,
      Tenants: String(h.tenants), Labels: `app.kubeop.io/cluster-id=${h.id}`,
      Registered: await localTime(page, h.created_at), Checked: await localTime(page, h.status.checked_at),
    }), () => facts(page))
    assert.deepEqual([detail.status.phase, detail.status.server_version, detail.status.node_count, detail.status.nodes_ready], ['Ready', kube.version, 2, 0])
    const ready = detail.status.conditions.find((c) => c.type === 'Ready')
    assert.deepEqual(ready && [ready.status, ready.reason, ready.message], ['True', 'Healthy', 'The API server is ready'])
    const conditions = page.getByRole('list', { name: 'Conditions, newest change first' }).getByRole('listitem')
    assert.match((await conditions.allTextContents()).join('\n'), /Ready = True \(Healthy\)The API server is ready/)
    await assertAccessible(page, 'admin host cluster')
    await screenshot(page, '21-admin-host-cluster')

    // What the live check saw is kept: the list, read again, has the second node too.
    await page.getByRole('link', { name: 'All host clusters' }).click()
    await row.getByRole('cell', { name: '0 of 2', exact: true }).waitFor()

    // An unknown id (navigated to in the page: a reload signs out) shows the API's own error.
    const unknown = '6f1c3a7e-0000-4000-8000-000000000000'
    const refused = await s.request('GET', `/v1/clusters/${unknown}`, { token: s.adminToken })
    assert.equal(refused.status, 404)
    await page.evaluate((path) => history.pushState(null, '', path), `/admin/clusters/${unknown}`)
    await page.getByRole('alert').filter({ hasText: refused.body.error }).waitFor()
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
    await registerHostCluster()
    await page.goto(`${s.url}/admin`)
    await signInAsAdmin(page)
    await fits('admin tenants')
    await screenshot(page, '20-admin-tenants-360-dark')
    await nav(page, 'Host clusters')
    await page.getByRole('heading', { name: 'Host clusters' }).waitFor()
    await hostRow(page).getByRole('cell', { name: 'Ready', exact: true }).waitFor()
    await fits('admin host clusters')
    await screenshot(page, '20b-admin-host-clusters-360-dark')
    await hostRow(page).getByRole('link', { name: 'dev-1', exact: true }).click()
    await page.getByRole('heading', { name: 'Host cluster dev-1' }).waitFor()
    await fits('admin host cluster')
    await context.close()
  })
})
