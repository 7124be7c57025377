import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// The Kupe Terraform provider (registry address kupecloud/kupe) cannot be installed here: it is
// neither on the Go module proxy nor reachable through a Terraform registry (evidence and the
// manual run in docs/decisions/0018-terraform-provider.md). So this test replays, over real HTTP
// against a real server, the requests that provider sends in each phase of a Terraform run — as
// its public source shows them (client: Bearer key, Accept and Content-Type JSON, If-Match with
// the ETag held in state; resources: what each Create/Read/Update/Delete/Import sends and keeps)
// — for every resource and data source it has, and asserts what the provider needs from each
// answer: the status codes it treats as success, not-found or conflict, the ETags it stores, and
// bodies whose refresh produces no diff. Terraform's own planning is modelled only as far as
// "does the refreshed state equal the configuration", with the provider's JSON semantic equality.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** JSON as encoding/json re-marshals it: object keys sorted (the provider's JSONStringType). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}
const sameJson = (a: unknown, b: unknown) => canonical(a) === canonical(b)

/** The provider's read-side unmasking: a "<secret>" from the server takes the value state holds there. */
function unmask(next: unknown, prior: unknown): unknown {
  if (Array.isArray(next)) return next.map((v, i) => unmask(v, Array.isArray(prior) ? prior[i] : undefined))
  if (next !== null && typeof next === 'object') {
    const p = prior !== null && typeof prior === 'object' && !Array.isArray(prior) ? (prior as Record<string, unknown>) : {}
    return Object.fromEntries(Object.entries(next).map(([k, v]) => [k, unmask(v, p[k])]))
  }
  return next === '<secret>' && prior !== undefined ? prior : next
}

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(`kupe api: ${status} ${message}`)
  }
}

/** The provider's HTTP client: one request shape for every call. */
function providerClient(host: string, tenant: string, apiKey: string) {
  const tenantPath = (...segments: string[]) => `/api/v1/tenants/${encodeURIComponent(tenant)}${segments.map((s) => `/${encodeURIComponent(s)}`).join('')}`
  async function request(method: string, path: string, body?: unknown, etag = ''): Promise<{ etag: string; body: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json', 'user-agent': 'terraform-provider-kupe' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (etag) headers['if-match'] = etag
    const res = await fetch(`${host}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (res.status >= 400) {
      let message = text
      try {
        message = (JSON.parse(text) as { error?: string }).error || text
      } catch { /* the raw body is the message */ }
      throw new ApiError(res.status, message)
    }
    return { etag: res.headers.get('etag') ?? '', body: text ? JSON.parse(text) : undefined }
  }
  return { request, tenantPath }
}

const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404

// The configuration of docs/decisions/0018-terraform-provider.md, as each resource's planned values.
interface Config {
  cluster: { name: string; display_name: string; type: string; version: string; resources: { cpu: string; memory: string; storage: string } }
  secret: { name: string; secret_path: string; sync: Array<{ cluster: string; namespace: string }> }
  member: { email: string; role: string }
  apiKey: { display_name: string; role: string }
  receivers: Record<string, Json>
  routes: Json[]
  global: Json
}

const HOOK = 'https://hooks.example.com/kupe?token=tf-hook-token'
const SLACK = 'https://hooks.slack.com/services/T0/B0/tf-slack-token'

function initialConfig(): Config {
  return {
    cluster: { name: 'web', display_name: 'Web', type: 'shared', version: '1.32', resources: { cpu: '2', memory: '4Gi', storage: '20Gi' } },
    secret: { name: 'db-password', secret_path: 'production/db-password', sync: [{ cluster: 'web', namespace: 'default' }] },
    member: { email: 'bob@acme.example.com', role: 'readonly' },
    apiKey: { display_name: 'ci', role: 'readonly' },
    receivers: {
      slack: { slack_configs: [{ api_url: SLACK, channel: '#alerts', send_resolved: true }] },
      ops: { webhook_configs: [{ url: HOOK, send_resolved: false }] },
    },
    routes: [
      { receiver: 'slack', matchers: ['severity="warning"'], group_by: ['alertname'] },
      { receiver: 'ops', matchers: ['severity="critical"'], group_wait: '10s', routes: [{ receiver: 'slack', matchers: ['team="infra"'] }] },
    ],
    global: { resolve_timeout: '5m', smtp_from: 'alerts@acme.example.com', smtp_smarthost: 'smtp.acme.example.com:587', smtp_auth_password: 'tf-smtp-pw' },
  }
}

/** What Terraform keeps per resource. */
interface State {
  cluster?: { name: string; display_name: string; type: string; version: string; resources?: Record<string, string>; phase: string; etag: string }
  secret?: { name: string; secret_path: string; sync: unknown; etag: string }
  member?: { email: string; role: string }
  apiKey?: { id: string; display_name: string; role: string; key?: string }
  receivers: Record<string, { body: Json; etag: string }>
  routes?: { routes: Json[]; etag: string }
  global?: { body: Json; etag: string }
}

describe('Terraform provider contract: every resource and data source, replayed against this server', () => {
  let s: TestServer
  let kupe: ReturnType<typeof providerClient>
  let state: State
  let config: Config
  let ownerKey: string
  const dir = mkdtempSync(join(tmpdir(), 'kupe-tf-'))

  before(async () => {
    s = await startTestServer()
    ownerKey = (await s.createTenant('acme')).key
    // KUPE_HOST, KUPE_TENANT, KUPE_API_KEY as the provider reads them.
    kupe = providerClient(s.url, 'acme', ownerKey)
    config = initialConfig()
    state = { receivers: {} }
  })
  after(async () => {
    rmSync(dir, { recursive: true, force: true })
    await s.stop()
  })

  const { request } = { request: (...a: Parameters<ReturnType<typeof providerClient>['request']>) => kupe.request(...a) }
  const path = (...segments: string[]) => kupe.tenantPath(...segments)

  // --- Each resource as the provider implements it -------------------------------------------

  const cluster = {
    async create(c: Config['cluster']) {
      const r = await request('POST', path('clusters'), { name: c.name, displayName: c.display_name, type: c.type, version: c.version, resources: c.resources })
      // Create then waits until the phase is Running, re-reading the cluster.
      const running = await eventually(async () => {
        const g = await request('GET', path('clusters', c.name))
        return g.body.status?.phase === 'Running' ? g : undefined
      }, 30_000, 'cluster Running')
      assert.ok(r.etag)
      state.cluster = this.toState(running.body, running.etag)
    },
    toState(b: any, etag: string): NonNullable<State['cluster']> {
      return { name: b.name, display_name: b.displayName, type: b.type, version: b.version, resources: b.resources, phase: b.status?.phase ?? '', etag }
    },
    async read() {
      try {
        const g = await request('GET', path('clusters', state.cluster!.name))
        state.cluster = this.toState(g.body, g.etag)
      } catch (err) {
        if (!isNotFound(err)) throw err
        state.cluster = undefined
      }
    },
    diff: (c: Config['cluster']) =>
      !state.cluster || state.cluster.version !== c.version || state.cluster.display_name !== c.display_name || !sameJson(state.cluster.resources ?? null, c.resources),
    async update(c: Config['cluster']) {
      const body: Record<string, unknown> = {}
      if (c.version !== state.cluster!.version) body.version = c.version
      if (!sameJson(c.resources, state.cluster!.resources)) body.resources = c.resources
      const r = await request('PATCH', path('clusters', c.name), body, state.cluster!.etag)
      state.cluster = this.toState(r.body, r.etag)
    },
    async delete() {
      try {
        await request('DELETE', path('clusters', state.cluster!.name))
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
      // Delete waits until the cluster is gone (GET answers 404).
      await eventually(async () => request('GET', path('clusters', state.cluster!.name)).then(() => undefined, (err: unknown) => (isNotFound(err) ? true : Promise.reject(err))), 30_000, 'cluster gone')
      state.cluster = undefined
    },
  }

  const secret = {
    async create(c: Config['secret']) {
      const r = await request('POST', path('secrets'), { name: c.name, secretPath: c.secret_path, sync: c.sync })
      state.secret = { name: r.body.name, secret_path: r.body.secretPath, sync: r.body.sync ?? [], etag: r.etag }
    },
    async read() {
      const g = await request('GET', path('secrets', state.secret!.name)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      state.secret = g && { name: g.body.name, secret_path: g.body.secretPath, sync: g.body.sync ?? [], etag: g.etag }
    },
    diff: (c: Config['secret']) => !state.secret || state.secret.secret_path !== c.secret_path || !sameJson(state.secret.sync, c.sync),
    async update(c: Config['secret']) {
      const r = await request('PATCH', path('secrets', c.name), { sync: c.sync }, state.secret!.etag)
      state.secret = { name: r.body.name, secret_path: r.body.secretPath, sync: r.body.sync ?? [], etag: r.etag }
    },
    async delete() {
      await request('DELETE', path('secrets', state.secret!.name)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      state.secret = undefined
    },
  }

  const member = {
    async create(c: Config['member']) {
      const r = await request('POST', path('members'), { email: c.email.toLowerCase(), role: c.role })
      state.member = { email: c.email, role: r.body.role }
    },
    /** Members are read from the list, matched case-insensitively. */
    async read() {
      const list = await request('GET', path('members'))
      const found = (list.body.items as Array<{ email: string; role: string }>).find((m) => m.email.toLowerCase() === state.member!.email.toLowerCase())
      state.member = found && { email: state.member!.email, role: found.role }
    },
    diff: (c: Config['member']) => !state.member || state.member.role !== c.role,
    async update(c: Config['member']) {
      const r = await request('PATCH', path('members', c.email), { role: c.role })
      state.member = { email: c.email, role: r.body.role }
    },
    async delete() {
      await request('DELETE', path('members', state.member!.email)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      state.member = undefined
    },
  }

  const apiKey = {
    async create(c: Config['apiKey']) {
      const r = await request('POST', path('apikeys'), { displayName: c.display_name, role: c.role })
      assert.match(r.body.key, /^kupe_/, 'the raw key is returned on creation')
      state.apiKey = { id: r.body.id, display_name: c.display_name, role: c.role, key: r.body.key }
    },
    /** No GET by id: the list, found by id; the raw key stays what state holds. */
    async read() {
      const list = await request('GET', path('apikeys'))
      const found = (list.body.items as Array<{ id: string; displayName: string; role: string }>).find((k) => k.id === state.apiKey!.id)
      state.apiKey = found && { ...state.apiKey!, display_name: found.displayName, role: found.role }
    },
    diff: (c: Config['apiKey']) => !state.apiKey || state.apiKey.display_name !== c.display_name || state.apiKey.role !== c.role,
    async delete() {
      await request('DELETE', path('apikeys', state.apiKey!.id)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      state.apiKey = undefined
    },
  }

  /** Create and Update keep the planned body and take only the ETag (the echo is masked); Read unmasks against state. */
  const receiver = {
    async put(name: string, body: Json) {
      const r = await request('PUT', path('alertmanager', 'receivers', name), { ...(body as object), name }, state.receivers[name]?.etag ?? '')
      assert.equal(r.body.name, name)
      state.receivers[name] = { body, etag: r.etag }
    },
    async read(name: string) {
      const g = await request('GET', path('alertmanager', 'receivers', name)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      if (!g) {
        delete state.receivers[name]
        return
      }
      const { name: _n, ...fetched } = g.body as Record<string, Json>
      state.receivers[name] = { body: unmask(fetched, state.receivers[name]?.body) as Json, etag: g.etag }
    },
    diff: (name: string, body: Json) => !state.receivers[name] || !sameJson(state.receivers[name]!.body, body),
    async delete(name: string) {
      await request('DELETE', path('alertmanager', 'receivers', name)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)))
      delete state.receivers[name]
    },
  }

  const routes = {
    async put(items: Json[]) {
      const r = await request('PUT', path('alertmanager', 'routes'), { items }, state.routes?.etag ?? '')
      assert.ok(sameJson(r.body.items, items), 'routes come back as sent')
      state.routes = { routes: r.body.items, etag: r.etag }
    },
    async read() {
      const g = await request('GET', path('alertmanager', 'routes'))
      state.routes = { routes: g.body.items, etag: g.etag }
    },
    diff: (items: Json[]) => !state.routes || !sameJson(state.routes.routes, items),
    /** Destroy clears the list: PUT {"items": null} with the ETag in state. */
    async delete() {
      const r = await request('PUT', path('alertmanager', 'routes'), { items: null }, state.routes!.etag)
      assert.deepEqual(r.body, { items: [] })
      state.routes = undefined
    },
  }

  const global = {
    async put(body: Json) {
      const r = await request('PUT', path('alertmanager', 'global'), body, state.global?.etag ?? '')
      state.global = { body, etag: r.etag }
    },
    async read() {
      const g = await request('GET', path('alertmanager', 'global'))
      state.global = { body: unmask(g.body, state.global?.body) as Json, etag: g.etag }
    },
    diff: (body: Json) => !state.global || !sameJson(state.global.body, body),
    /** Destroy resets the section: PUT {} with the ETag in state. */
    async delete() {
      await request('PUT', path('alertmanager', 'global'), {}, state.global!.etag)
      state.global = undefined
    },
  }

  // --- Terraform's phases ----------------------------------------------------------------------

  /** The data sources, read on every plan and apply. */
  async function dataSources() {
    const tenant = await request('GET', path())
    assert.equal(tenant.body.name, 'acme')
    assert.ok(tenant.etag)
    const plan = await request('GET', `/api/v1/plans/${encodeURIComponent(tenant.body.plan)}`)
    assert.equal(plan.body.name, tenant.body.plan)
    assert.equal(typeof plan.body.maxClusters, 'number')
    if (state.cluster) {
      const c = await request('GET', path('clusters', config.cluster.name))
      assert.equal(c.body.status.phase, 'Running')
      assert.equal(typeof c.body.status.endpoint, 'string')
    }
  }

  async function refresh() {
    await Promise.all([
      state.cluster && cluster.read(), state.secret && secret.read(), state.member && member.read(), state.apiKey && apiKey.read(),
      ...Object.keys(state.receivers).map((n) => receiver.read(n)), state.routes && routes.read(), state.global && global.read(),
    ])
  }

  /** `terraform plan`: refresh, then every resource whose state differs from its configuration. */
  async function plan(): Promise<string[]> {
    await dataSources()
    await refresh()
    const changes: string[] = []
    if (cluster.diff(config.cluster)) changes.push('kupe_cluster.web')
    if (secret.diff(config.secret)) changes.push('kupe_secret.db')
    if (member.diff(config.member)) changes.push('kupe_tenant_member.bob')
    if (apiKey.diff(config.apiKey)) changes.push('kupe_api_key.ci')
    for (const [name, body] of Object.entries(config.receivers)) if (receiver.diff(name, body)) changes.push(`kupe_alertmanager_receiver.${name}`)
    if (routes.diff(config.routes)) changes.push('kupe_alertmanager_routes.main')
    if (global.diff(config.global)) changes.push('kupe_alertmanager_global.main')
    return changes
  }

  test('apply creates everything; Terraform\'s parallel walk (receivers, then routes, with global alongside) never trips over its own writes', async () => {
    await dataSources()
    await cluster.create(config.cluster)
    await Promise.all([
      secret.create(config.secret), member.create(config.member), apiKey.create(config.apiKey),
      ...Object.entries(config.receivers).map(([n, b]) => receiver.put(n, b)), global.put(config.global),
    ])
    await routes.put(config.routes)
    for (const etag of [state.cluster!.etag, state.secret!.etag, state.routes!.etag, state.global!.etag, ...Object.values(state.receivers).map((r) => r.etag)]) {
      assert.match(etag, /^"[0-9]+"$/)
    }
  })

  test('plan after apply: no changes (masked secrets do not show as drift)', async () => {
    assert.deepEqual(await plan(), [])
    assert.equal(state.apiKey!.key?.startsWith('kupe_'), true, 'the raw key survives refresh')
  })

  test('update in place: every updatable resource changes in one apply, each with its own If-Match', async () => {
    config.cluster.resources = { cpu: '4', memory: '8Gi', storage: '40Gi' }
    config.secret.sync = [{ cluster: 'web', namespace: 'default' }, { cluster: 'web', namespace: 'backend' }]
    config.member.role = 'admin'
    config.receivers.slack = { slack_configs: [{ api_url: SLACK, channel: '#ops', send_resolved: true }] }
    config.receivers.ops = { webhook_configs: [{ url: HOOK, send_resolved: true }] }
    config.routes = [{ receiver: 'ops', matchers: ['severity=~"critical|page"'], group_wait: '5s' }, ...config.routes.slice(0, 1)]
    config.global = { ...(config.global as object), resolve_timeout: '10m' }
    assert.deepEqual((await plan()).sort(), [
      'kupe_alertmanager_global.main', 'kupe_alertmanager_receiver.ops', 'kupe_alertmanager_receiver.slack',
      'kupe_alertmanager_routes.main', 'kupe_cluster.web', 'kupe_secret.db', 'kupe_tenant_member.bob',
    ])
    await Promise.all([
      cluster.update(config.cluster), secret.update(config.secret), member.update(config.member),
      ...Object.entries(config.receivers).map(([n, b]) => receiver.put(n, b)), global.put(config.global),
    ])
    await routes.put(config.routes)
    assert.deepEqual(await plan(), [])
  })

  test('drift repair: a change made outside Terraform shows in the plan and the next apply puts it back', async () => {
    const outside = await s.request('PUT', '/api/v1/tenants/acme/alertmanager/receivers/slack', {
      token: (await s.createKey('acme', ownerKey, 'admin')).key,
      body: { slack_configs: [{ api_url: '<secret>', channel: '#somewhere-else', send_resolved: true }] },
    })
    assert.equal(outside.status, 200, outside.text)
    await request('PATCH', path('members', config.member.email), { role: 'readonly' })
    assert.deepEqual((await plan()).sort(), ['kupe_alertmanager_receiver.slack', 'kupe_tenant_member.bob'])
    // The refreshed state holds the real URL again (unmasked from state), so the repair sends it.
    assert.ok(sameJson(state.receivers.slack!.body, { slack_configs: [{ api_url: SLACK, channel: '#somewhere-else', send_resolved: true }] }))
    await Promise.all([receiver.put('slack', config.receivers.slack!), member.update(config.member)])
    assert.deepEqual(await plan(), [])
  })

  test('import: every resource is found by the id the provider documents; one apply settles imported secrets', async () => {
    const apiKeyId = state.apiKey!.id
    const keyFromState = state.apiKey!.key
    state = { receivers: {} }
    // ImportStatePassthroughID, then Read.
    state.cluster = { name: 'web' } as State['cluster']
    state.secret = { name: 'db-password' } as State['secret']
    state.member = { email: config.member.email, role: '' }
    state.apiKey = { id: apiKeyId, display_name: '', role: '' }
    state.receivers = { slack: { body: {}, etag: '' }, ops: { body: {}, etag: '' } }
    state.routes = { routes: [], etag: '' }
    state.global = { body: {}, etag: '' }
    // An import has no prior body: masked secrets stay "<secret>" and show as a change of those resources only.
    assert.deepEqual((await plan()).sort(), ['kupe_alertmanager_global.main', 'kupe_alertmanager_receiver.ops', 'kupe_alertmanager_receiver.slack'])
    assert.equal(state.apiKey!.key, undefined, 'the raw key is not recoverable after import')
    assert.ok(keyFromState)
    await Promise.all([...Object.entries(config.receivers).map(([n, b]) => receiver.put(n, b)), global.put(config.global)])
    assert.deepEqual(await plan(), [])
  })

  test('a kupe_cluster whose configuration sets no version: an in-place update sends "version": "" and the version stays (decision 0019)', async () => {
    // Create omits `version` (omitempty); the server picks its default and state keeps it.
    const created = await request('POST', path('clusters'), { name: 'api', displayName: 'API', type: 'shared', resources: { cpu: '1' } })
    const running = await eventually(async () => {
      const g = await request('GET', path('clusters', 'api'))
      return g.body.status.phase === 'Running' ? g : undefined
    }, 30_000, 'api Running')
    // `version` is Optional+Computed without UseStateForUnknown: with another attribute changing it
    // plans as unknown, and Update sends ValueString() of unknown, "", since it differs from state.
    const r = await request('PATCH', path('clusters', 'api'), { version: '', resources: { cpu: '2' } }, running.etag)
    assert.equal(r.body.version, created.body.version)
    assert.deepEqual(r.body.resources, { cpu: '2' })
    const settled = await eventually(async () => {
      const g = await request('GET', path('clusters', 'api'))
      return g.body.status.phase === 'Running' && g.body.status.observedGeneration === r.body.generation ? g : undefined
    }, 30_000, 'api updated')
    assert.equal(settled.body.version, created.body.version, 'the refreshed state shows no version change')
    await request('DELETE', path('clusters', 'api'))
    await eventually(async () => request('GET', path('clusters', 'api')).then(() => undefined, (err: unknown) => (isNotFound(err) ? true : Promise.reject(err))), 30_000, 'api gone')
  })

  test('destroy: every resource goes, in dependency order, and nothing is left on the server', async () => {
    await routes.delete()
    await Promise.all([...Object.keys(state.receivers).map((n) => receiver.delete(n)), global.delete(), secret.delete(), member.delete(), apiKey.delete()])
    await cluster.delete()
    assert.deepEqual((await request('GET', path('alertmanager', 'receivers'))).body, { items: [] })
    assert.deepEqual((await request('GET', path('alertmanager', 'routes'))).body, { items: [] })
    assert.deepEqual((await request('GET', path('alertmanager', 'global'))).body, {})
    assert.deepEqual((await request('GET', path('clusters'))).body.items, [])
    assert.equal((await request('GET', path('secrets'))).body.items.length, 0)
    const members = (await request('GET', path('members'))).body.items as Array<{ email: string }>
    assert.ok(!members.some((m) => m.email === config.member.email))
    // A second destroy finds nothing and still succeeds (404 counts as gone).
    await receiver.delete('slack')
  })

  test('the configuration of the manual run (decision 0018) is well-formed HCL for Terraform', () => {
    const decision = readFileSync(new URL('../docs/decisions/0018-terraform-provider.md', import.meta.url), 'utf8')
    const hcl = /```hcl\n([\s\S]*?)```/.exec(decision)?.[1] ?? ''
    assert.ok(hcl.includes('resource "kupe_alertmanager_routes"'), 'the decision holds the configuration')
    for (const type of ['kupe_cluster', 'kupe_secret', 'kupe_tenant_member', 'kupe_api_key', 'kupe_alertmanager_receiver', 'kupe_alertmanager_routes', 'kupe_alertmanager_global']) {
      assert.ok(hcl.includes(`resource "${type}"`), `${type} is in the configuration`)
    }
    for (const type of ['kupe_tenant', 'kupe_plan', 'kupe_cluster']) assert.ok(hcl.includes(`data "${type}"`), `data ${type} is in the configuration`)
    writeFileSync(join(dir, 'main.tf'), hcl)
    writeFileSync(join(dir, 'cli.tfrc'), '')
    // fmt reads no provider: it is the one Terraform command that runs here without kupecloud/kupe.
    execFileSync('terraform', ['fmt', '-check', '-diff', join(dir, 'main.tf')], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc') } })
  })
})
