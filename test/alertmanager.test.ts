import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { tenantAlertmanagerFile } from '../src/domain/alertmanager/alertmanager-service.js'
import { AlertmanagerGlobal, AlertmanagerReceiver, AlertmanagerRoute } from '../src/domain/alertmanager/schema.js'
import { findAlertmanagerRelease } from '../src/providers/local/alertmanager-binaries.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// The Alertmanager configuration API (issue #12) over real HTTP, as the Kupe Terraform provider
// uses it: receivers by name, the routes list and the global section, each with its own ETag;
// secrets masked as "<secret>" on every read and encrypted at rest; every write checked by
// Alertmanager's own loader (kupe-amconfig of the release tools/alertmanager pins).

const A = '/api/v1/tenants/acme/alertmanager'
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/slack-token-1f2e3d'
const HOOK_URL = 'https://hooks.example.com/alerts?token=hook-token-9a8b7c'
const SMTP_PASSWORD = 'smtp-password-5d4c3b'

const release = findAlertmanagerRelease(process.env.KUPE_ALERTMANAGER_DIR ?? join(homedir(), '.cache/kupe/alertmanager'))
if (!release) throw new Error('Alertmanager is not built: run `npm run alertmanager:build` (tools/alertmanager/build.sh)')

describe('Alertmanager configuration API', () => {
  let s: TestServer
  let admin: string
  let readonly: string
  let tenantId: string

  before(async () => {
    s = await startTestServer()
    admin = (await s.createTenant('acme')).key
    readonly = (await s.createKey('acme', admin, 'readonly')).key
    tenantId = (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'acme').executeTakeFirstOrThrow()).id
  })
  after(() => s.stop())

  const put = (path: string, body: unknown, headers?: Record<string, string>, token = admin) => s.request('PUT', `${A}${path}`, { token, body, headers })
  const get = (path: string, token = admin) => s.request('GET', `${A}${path}`, { token })
  const del = (path: string, headers?: Record<string, string>, token = admin) => s.request('DELETE', `${A}${path}`, { token, headers })
  /** The file the tenant's Alertmanager loads (what the server decrypts for it). */
  const configFile = async () => JSON.parse((await tenantAlertmanagerFile(s.server.container, tenantId)) ?? '{}') as Record<string, any>

  test('PUT creates a receiver (201) and replaces it (200); the path names it; GET and the list answer it masked', async () => {
    const body = { name: 'ignored', slack_configs: [{ api_url: SLACK_URL, channel: '#alerts', send_resolved: true }] }
    const created = await put('/receivers/slack', body)
    assert.equal(created.status, 201, created.text)
    assert.match(created.headers.get('etag') ?? '', /^"[0-9]+"$/)
    assert.deepEqual(created.body, { name: 'slack', slack_configs: [{ api_url: '<secret>', channel: '#alerts', send_resolved: true }] })

    const read = await get('/receivers/slack')
    assert.equal(read.status, 200)
    assert.equal(read.headers.get('etag'), created.headers.get('etag'))
    assert.deepEqual(read.body, created.body)

    const replaced = await put('/receivers/slack', { slack_configs: [{ api_url: SLACK_URL, channel: '#ops' }] })
    assert.equal(replaced.status, 200)
    assert.notEqual(replaced.headers.get('etag'), created.headers.get('etag'))
    assert.deepEqual(replaced.body.slack_configs, [{ api_url: '<secret>', channel: '#ops' }])

    const list = await get('/receivers')
    assert.equal(list.status, 200)
    assert.deepEqual(list.body, { items: [replaced.body] })
    assert.equal((await get('/receivers/missing')).status, 404)
    assert.deepEqual((await get('/receivers/missing')).body, { error: 'Receiver not found' })
  })

  test('every secret Alertmanager types as one reads "<secret>"; other fields read as written', async () => {
    const r = await put('/receivers/everything', {
      webhook_configs: [{ url: HOOK_URL, http_config: { basic_auth: { username: 'bot', password: 'basic-pw-77' } }, max_alerts: 5 }],
      email_configs: [{ to: 'ops@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', auth_username: 'am', auth_password: 'email-pw-66' }],
      pagerduty_configs: [{ routing_key: 'pd-routing-55' }, { service_key: 'pd-service-44' }],
      opsgenie_configs: [{ api_key: 'og-key-33' }],
      telegram_configs: [{ bot_token: 'tg-token-22', chat_id: 42 }],
    })
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(r.body, {
      name: 'everything',
      webhook_configs: [{ url: '<secret>', http_config: { basic_auth: { username: 'bot', password: '<secret>' } }, max_alerts: 5 }],
      email_configs: [{ to: 'ops@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', auth_username: 'am', auth_password: '<secret>' }],
      pagerduty_configs: [{ routing_key: '<secret>' }, { service_key: '<secret>' }],
      opsgenie_configs: [{ api_key: '<secret>' }],
      telegram_configs: [{ bot_token: '<secret>', chat_id: 42 }],
    })
    const g = await put('/global', { smtp_auth_password: SMTP_PASSWORD, slack_api_url: SLACK_URL, smtp_from: 'am@example.com', resolve_timeout: '5m' })
    assert.equal(g.status, 200, g.text)
    assert.deepEqual(g.body, { smtp_auth_password: '<secret>', slack_api_url: '<secret>', smtp_from: 'am@example.com', resolve_timeout: '5m' })
    assert.deepEqual((await get('/global')).body, g.body)
  })

  test('secrets are encrypted at rest: no stored column holds one, and the Alertmanager file holds them all', async () => {
    const rows = await s.server.container.db.selectFrom('alertmanager_objects').selectAll().where('tenant_id', '=', tenantId).execute()
    assert.ok(rows.length >= 3)
    const stored = JSON.stringify(rows)
    for (const secret of [SLACK_URL, 'hook-token-9a8b7c', 'basic-pw-77', 'email-pw-66', 'pd-routing-55', 'og-key-33', 'tg-token-22', SMTP_PASSWORD]) {
      assert.ok(!stored.includes(secret), `${secret} is stored in the clear`)
    }
    const file = JSON.stringify(await configFile())
    for (const secret of [SLACK_URL, 'basic-pw-77', 'pd-service-44', SMTP_PASSWORD]) assert.ok(file.includes(secret), `${secret} missing from the Alertmanager file`)
    assert.ok(!s.logs.join('\n').includes('basic-pw-77'), 'a secret reached the log')
  })

  test('"<secret>" sent back keeps the stored value; with nothing stored there it is refused', async () => {
    const masked = (await get('/receivers/slack')).body
    const back = await put('/receivers/slack', { ...masked, slack_configs: [{ ...masked.slack_configs[0], channel: '#back' }] })
    assert.equal(back.status, 200, back.text)
    const file = await configFile()
    const slack = file.receivers.find((r: { name: string }) => r.name === 'slack')
    assert.deepEqual(slack.slack_configs, [{ api_url: SLACK_URL, channel: '#back' }])

    const none = await put('/receivers/fresh', { webhook_configs: [{ url: '<secret>' }] })
    assert.equal(none.status, 400)
    assert.equal(none.body.field, 'webhook_configs[0].url')
    assert.equal((await get('/receivers/fresh')).status, 404)
  })

  test('If-Match is per object: an apply writing receivers, routes and global in one run never trips over its own writes', async () => {
    const routes = await get('/routes')
    const global = await get('/global')
    const receiver = await get('/receivers/slack')
    // Interleaved as Terraform runs them: each write carries the ETag its own object last had.
    assert.equal((await put('/receivers/pager', { pagerduty_configs: [{ routing_key: 'pd-2' }] })).status, 201)
    const r1 = await put('/routes', { items: [{ receiver: 'pager', matchers: ['severity="critical"'] }] }, { 'if-match': routes.headers.get('etag')! })
    assert.equal(r1.status, 200, r1.text)
    const g1 = await put('/global', { resolve_timeout: '6m' }, { 'if-match': global.headers.get('etag')! })
    assert.equal(g1.status, 200, g1.text)
    const s1 = await put('/receivers/slack', { slack_configs: [{ api_url: SLACK_URL, channel: '#x' }] }, { 'if-match': receiver.headers.get('etag')! })
    assert.equal(s1.status, 200, s1.text)
    // A stale ETag of the same object is refused and changes nothing.
    const stale = await put('/routes', { items: [] }, { 'if-match': routes.headers.get('etag')! })
    assert.equal(stale.status, 412)
    assert.deepEqual(stale.body, { error: 'ETag mismatch' })
    assert.deepEqual((await get('/routes')).body, r1.body)
    assert.equal((await put('/receivers/slack', { slack_configs: [{ api_url: SLACK_URL }] }, { 'if-match': receiver.headers.get('etag')! })).status, 412)
    assert.equal((await put('/receivers/nobody', { slack_configs: [{ api_url: SLACK_URL }] }, { 'if-match': '"1"' })).status, 412)
    assert.equal((await del('/receivers/slack', { 'if-match': '"1"' })).status, 412)
  })

  test('routes: "0" before the first PUT, null is the empty list, nested routes round-trip, undefined receivers are refused', async () => {
    const fresh = await startTestServer()
    try {
      const key = (await fresh.createTenant('beta')).key
      const first = await fresh.request('GET', '/api/v1/tenants/beta/alertmanager/routes', { token: key })
      assert.deepEqual([first.status, first.headers.get('etag'), first.body], [200, '"0"', { items: [] }])
      const g = await fresh.request('GET', '/api/v1/tenants/beta/alertmanager/global', { token: key })
      assert.deepEqual([g.status, g.headers.get('etag'), g.body], [200, '"0"', {}])
      const put0 = await fresh.request('PUT', '/api/v1/tenants/beta/alertmanager/global', { token: key, body: { resolve_timeout: '1m' }, headers: { 'if-match': '"0"' } })
      assert.equal(put0.status, 200, put0.text)
    } finally {
      await fresh.stop()
    }
    const nested = [{ receiver: 'pager', group_by: ['alertname'], group_wait: '10s', routes: [{ receiver: 'slack', matchers: ['team="infra"'], continue: true }] }]
    const r = await put('/routes', { items: nested })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, { items: nested })
    assert.deepEqual((await get('/routes')).body, { items: nested })

    const undefinedReceiver = await put('/routes', { items: [{ receiver: 'nobody' }] })
    assert.equal(undefinedReceiver.status, 400)
    assert.equal(undefinedReceiver.body.code, 'ALERTMANAGER_CONFIG_INVALID')
    assert.match(undefinedReceiver.body.error, /undefined receiver "nobody" used in route/)
    const badMatcher = await put('/routes', { items: [{ receiver: 'slack', matchers: ['severity=~"['] }] })
    assert.equal(badMatcher.status, 400)
    assert.equal(badMatcher.body.code, 'ALERTMANAGER_CONFIG_INVALID')
    const unknown = await put('/routes', { items: [{ receiver: 'slack', colour: 'red' }] })
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.field], [400, 'UNKNOWN_FIELD', 'items[0].colour'])
    assert.deepEqual((await get('/routes')).body, { items: nested }, 'refused writes change nothing')

    const cleared = await put('/routes', { items: null })
    assert.deepEqual([cleared.status, cleared.body], [200, { items: [] }])
    assert.equal((await put('/routes', { items: nested })).status, 200)
  })

  test('DELETE of a receiver: 409 while a route (at any depth) uses it, 204 once none does, then 404', async () => {
    const used = await del('/receivers/slack')
    assert.equal(used.status, 409)
    assert.match(used.body.error, /Receiver "slack" is used by a route/)
    assert.equal((await get('/receivers/slack')).status, 200)
    assert.equal((await put('/routes', { items: null })).status, 200)
    assert.equal((await del('/receivers/slack')).status, 204)
    assert.equal((await get('/receivers/slack')).status, 404)
    assert.equal((await del('/receivers/slack')).status, 404)
  })

  test('global: {} resets it; Alertmanager\'s rules apply to it', async () => {
    const reset = await put('/global', {})
    assert.deepEqual([reset.status, reset.body], [200, {}])
    assert.deepEqual((await get('/global')).body, {})
    assert.equal((await configFile()).global, undefined)
    const bad = await put('/global', { resolve_timeout: 'soon' })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.code, 'ALERTMANAGER_CONFIG_INVALID')
  })

  test('receivers are checked by Alertmanager\'s loader and by the server\'s own rules', async () => {
    const cases: Array<[unknown, number, string | RegExp]> = [
      [{ webhook_configs: [{ url: 'not a url' }] }, 400, /Invalid Alertmanager configuration/],
      [{ email_configs: [{ to: 'a@example.com' }] }, 400, /no global SMTP smarthost set/],
      [{ webhook_configs: [{ url: HOOK_URL, http_config: { basic_auth: { username: 'x', password_file: '/etc/shadow' } } }] }, 400, 'webhook_configs[0].http_config.basic_auth.password_file'],
      [{ webhook_configs: [{ url: HOOK_URL, http_config: { tls_config: { ca_file: '/root/.kupe-data/master.key' } } }] }, 400, 'webhook_configs[0].http_config.tls_config.ca_file'],
      [{ sns_configs: [{ topic_arn: 'arn:aws:sns:eu-west-1:1:t', sigv4: { region: 'eu-west-1' } }] }, 400, 'sns_configs[0].sigv4'],
      [{ slack_configs: [{ api_url: SLACK_URL, channel: 'a\u0000b' }] }, 400, 'slack_configs[0].channel'],
      [{ teams: [] }, 400, 'teams'],
    ]
    for (const [body, status, expect] of cases) {
      const r = await put('/receivers/checked', body)
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`)
      if (typeof expect === 'string') assert.equal(r.body.field, expect, r.text)
      else assert.match(r.body.error, expect)
      assert.ok(!r.text.includes('hook-token-9a8b7c'), 'a secret in an error message')
    }
    assert.equal((await get('/receivers/checked')).status, 404)
    assert.equal((await put('/receivers/kupe-unrouted', { webhook_configs: [{ url: HOOK_URL }] })).status, 400)
    assert.equal((await put('/receivers/bad%20name', { webhook_configs: [{ url: HOOK_URL }] })).status, 400)
  })

  test('any member reads; only admins write', async () => {
    for (const path of ['/receivers', '/receivers/pager', '/routes', '/global']) assert.equal((await get(path, readonly)).status, 200, path)
    assert.equal((await put('/receivers/ro', { webhook_configs: [{ url: HOOK_URL }] }, undefined, readonly)).status, 403)
    assert.equal((await put('/routes', { items: [] }, undefined, readonly)).status, 403)
    assert.equal((await put('/global', {}, undefined, readonly)).status, 403)
    assert.equal((await del('/receivers/pager', undefined, readonly)).status, 403)
    const other = (await s.createTenant('other')).key
    assert.equal((await get('/receivers', other)).status, 403)
  })

  test('the assembled configuration loads in Alertmanager and sends unrouted alerts nowhere', async () => {
    const file = (await tenantAlertmanagerFile(s.server.container, tenantId))!
    execFileSync(release.amconfig, ['check'], { input: file })
    const parsed = JSON.parse(file) as { route: { receiver: string }; receivers: Array<{ name: string }> }
    assert.equal(parsed.route.receiver, 'kupe-unrouted')
    assert.deepEqual(parsed.receivers[0], { name: 'kupe-unrouted' })
  })
})

describe('Alertmanager schemas follow the pinned release', () => {
  test('receiver, route and global fields are Alertmanager\'s (file-reading ones left out)', () => {
    const keys = JSON.parse(execFileSync(release.amconfig, ['keys'], { encoding: 'utf8' })) as Record<string, string[]>
    const fields = (schema: { properties: object }) => Object.keys(schema.properties)
    assert.deepEqual(fields(AlertmanagerReceiver), keys.receiver)
    assert.deepEqual(fields(AlertmanagerRoute as unknown as { properties: object }), keys.route)
    assert.deepEqual(fields(AlertmanagerGlobal), keys.global!.filter((k) => !k.endsWith('_file')))
  })
})
