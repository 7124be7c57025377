import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { systemClock, type Clock } from '../src/lib/clock.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

// Deleting a tenant (issue #12 item 4, decision 0029): its clusters are torn down through the
// provider first, then its rows go; meanwhile it reads as `Deleting` and refuses writes with 409.
// DELETE /api/v1/tenants/{t} is sent exactly as the Kupe CLI's `tenant delete` sends it.

/** The headers the Kupe CLI's Go client puts on every request with a body (internal/client/client.go). */
function cliRequest(s: TestServer, method: string, path: string, key: string, body?: unknown): Promise<TestResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kupe-cli/0.9.0' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return s.request(method, path, { token: key, headers, ...(body === undefined ? {} : { rawBody: JSON.stringify(body) }) })
}

/** `kupe tenant delete --confirm NAME [--cascade]`: cascade is `omitempty`, so false is left out. */
const cliDelete = (s: TestServer, tenant: string, key: string, confirm: string, cascade = false) =>
  cliRequest(s, 'DELETE', `/api/v1/tenants/${tenant}`, key, cascade ? { confirm, cascade: true } : { confirm })

/** What the CLI's `--wait` does: GET the tenant until 404; a 4xx other than 404 ends the wait as an error. */
async function cliWaitForGone(s: TestServer, tenant: string, key: string): Promise<string[]> {
  const phases: string[] = []
  await eventually(async () => {
    const r = await cliRequest(s, 'GET', `/api/v1/tenants/${tenant}`, key)
    if (r.status === 404) return true
    if (r.status !== 200) throw new Error(`the CLI would stop waiting: ${r.status} ${r.text}`)
    phases.push(r.body.status.phase)
    return undefined
  }, 20_000, `tenant ${tenant} to be gone`, 50)
  return phases
}

/** The CLI compares codes lower-cased (client.ErrorCode). */
const cliCode = (r: TestResponse) => String(r.body?.code ?? '').toLowerCase()

async function createCluster(s: TestServer, tenant: string, key: string, name: string): Promise<void> {
  const r = await s.request('POST', `/api/v1/tenants/${tenant}/clusters`, { token: key, body: { name } })
  assert.equal(r.status, 201, r.text)
}

const tenantRows = async (s: TestServer, name: string) =>
  (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', name).execute()).length

/** The real clock, moved on by hand: simulated steps last until the test lets them end. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0
  return {
    now: () => new Date(systemClock.now().getTime() + offset),
    setTimer: (ms, fn, opts) => systemClock.setTimer(ms, fn, opts),
    advance: (ms) => void (offset += ms),
  }
}

/** Waits until the provider has begun tearing down every cluster of the tenant (its step state is saved). */
async function teardownStarted(s: TestServer, tenant: string): Promise<void> {
  await eventually(async () => {
    const rows = await s.server.container.db.selectFrom('clusters').innerJoin('tenants', 'tenants.id', 'clusters.tenant_id')
      .select('clusters.provider_state').where('tenants.name', '=', tenant).execute()
    return rows.every((r) => (r.provider_state as { deprovisionStartedAt?: string }).deprovisionStartedAt) ? true : undefined
  }, 10_000, `the teardown of ${tenant}'s clusters under way`)
}

describe('tenant deletion', () => {
  let s: TestServer
  const clock = movableClock()
  /** Lets the teardown steps under way end. */
  const finishSteps = async (tenant: string) => {
    await teardownStarted(s, tenant)
    clock.advance(601_000)
  }
  before(async () => {
    // Each provider step takes ten simulated minutes: a deletion stays observable until the clock moves.
    s = await startTestServer({ clock, overrides: { simulatedStepSeconds: '600' } })
  })
  after(() => s.stop())

  test('admin DELETE: 202 Deleting, reads still answer, writes are 409, clusters go first, then the tenant', async () => {
    const { key } = await s.createTenant('umbrella')
    const { key: otherKey } = await s.createTenant('bystander')
    for (const name of ['one', 'two']) await createCluster(s, 'umbrella', key, name)
    await createCluster(s, 'bystander', otherKey, 'stays')
    const T = '/api/v1/tenants/umbrella'

    const r = await s.request('DELETE', '/api/v1/admin/tenants/umbrella', { token: s.adminToken })
    assert.equal(r.status, 202, r.text)
    assert.equal(r.body.name, 'umbrella')
    assert.equal(r.body.status.phase, 'Deleting')
    assert.equal(r.body.status.clusterCount, 2)

    // Observable while it runs: the tenant and its clusters read, every write is refused.
    const got = await s.request('GET', T, { token: key })
    assert.deepEqual([got.status, got.body.status.phase], [200, 'Deleting'])
    const clusters = (await s.request('GET', `${T}/clusters`, { token: key })).body.items
    for (const c of clusters) assert.equal(c.status.phase, 'Deleting', `cluster ${c.name}`)
    for (const [method, path, body] of [
      ['POST', `${T}/clusters`, { name: 'late' }], ['PATCH', T, { enforceLogLimit: false }],
      ['POST', `${T}/apikeys`, { displayName: 'x', role: 'admin' }], ['PUT', `${T}/vault/x`, { data: { a: 'b' } }],
    ] as const) {
      const w = await s.request(method, path, { token: key, body })
      assert.deepEqual([w.status, w.body], [409, { error: 'Tenant is being deleted', code: 'ALREADY_TERMINATING', severity: 'error', message: 'Tenant is being deleted' }], `${method} ${path}`)
    }
    const suspend = await s.request('POST', '/api/v1/admin/tenants/umbrella/suspend', { token: s.adminToken })
    assert.deepEqual([suspend.status, suspend.body.code], [409, 'ALREADY_TERMINATING'], 'a deletion is never turned back')
    const again = await s.request('DELETE', '/api/v1/admin/tenants/umbrella', { token: s.adminToken })
    assert.deepEqual([again.status, again.body.status?.phase], [202, 'Deleting'], 'asking again changes nothing')
    await finishSteps('umbrella')

    await eventually(async () => ((await s.request('GET', '/api/v1/admin/tenants/umbrella', { token: s.adminToken })).status === 404 ? true : undefined), 20_000, 'umbrella gone')
    assert.equal(await tenantRows(s, 'umbrella'), 0)
    const rows = await s.server.container.db.selectFrom('clusters').select('name').execute()
    assert.deepEqual(rows.map((c) => c.name), ['stays'], 'the other tenant keeps its cluster')
    // Its key learns that the tenant is gone, on its routes only; elsewhere it is no key at all.
    assert.deepEqual((await s.request('GET', T, { token: key })).body, { error: 'Tenant not found' })
    assert.equal((await s.request('GET', `${T}/clusters`, { token: key })).status, 404)
    assert.equal((await s.request('GET', '/api/v1/tenants/bystander', { token: key })).status, 401)
    assert.equal((await s.request('GET', '/api/v1/tenants/bystander', { token: otherKey })).status, 200)
  })

  test('the CLI: confirm must equal the name (400), readonly is 403, clusters without cascade are 409 CLUSTERS_EXIST', async () => {
    const { key } = await s.createTenant('acme')
    const readonly = (await s.createKey('acme', key, 'readonly')).key
    await createCluster(s, 'acme', key, 'web')

    const wrong = await cliDelete(s, 'acme', key, 'acme-prod', true)
    assert.deepEqual([wrong.status, wrong.body.code, wrong.body.field], [400, 'CONFIRM_MISMATCH', 'confirm'])
    const noBody = await cliRequest(s, 'DELETE', '/api/v1/tenants/acme', key)
    assert.deepEqual([noBody.status, noBody.body.error], [400, 'Request body must be a JSON object'])
    const extra = await cliRequest(s, 'DELETE', '/api/v1/tenants/acme', key, { confirm: 'acme', force: true })
    assert.deepEqual([extra.status, extra.body.code, extra.body.field], [400, 'UNKNOWN_FIELD', 'force'])
    const ro = await cliDelete(s, 'acme', readonly, 'acme')
    assert.deepEqual([ro.status, ro.body], [403, { error: 'Admin access required' }])
    const refused = await cliDelete(s, 'acme', key, 'acme')
    assert.equal(refused.status, 409)
    assert.equal(cliCode(refused), 'clusters_exist')
    assert.match(refused.body.error, /Tenant has 1 cluster\(s\)/)
    assert.equal((await s.request('GET', '/api/v1/tenants/acme', { token: key })).body.status.phase, 'Active', 'nothing changed')
  })

  test('the CLI: --cascade answers 202 with the tenant Deleting, a second delete is already_terminating, --wait ends on 404', async () => {
    const { key } = await s.createTenant('globex')
    for (const name of ['prod', 'staging']) await createCluster(s, 'globex', key, name)
    const r = await cliDelete(s, 'globex', key, 'globex', true)
    assert.equal(r.status, 202, r.text)
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8')
    assert.equal(r.headers.get('etag'), `"${r.body.resourceVersion}"`)
    assert.equal(r.body.name, 'globex')
    assert.equal(r.body.status.phase, 'Deleting')
    const second = await cliDelete(s, 'globex', key, 'globex', true)
    assert.equal(second.status, 409)
    assert.equal(cliCode(second), 'already_terminating')
    await finishSteps('globex')
    const phases = await cliWaitForGone(s, 'globex', key)
    assert.ok(phases.every((p) => p === 'Deleting'), phases.join())
    assert.equal(await tenantRows(s, 'globex'), 0)
  })

  test('the CLI: a tenant without clusters goes without --cascade', async () => {
    const { key } = await s.createTenant('initech')
    const r = await cliDelete(s, 'initech', key, 'initech')
    assert.deepEqual([r.status, r.body.status.phase], [202, 'Deleting'])
    await cliWaitForGone(s, 'initech', key)
    // The name is free again, and the old key does not reach the new tenant.
    const fresh = await s.createTenant('initech')
    assert.equal((await s.request('GET', '/api/v1/tenants/initech', { token: key })).status, 401)
    assert.equal((await s.request('GET', '/api/v1/tenants/initech', { token: fresh.key })).status, 200)
  })

  test('kubeOP DELETE /v1/tenants/{id} keeps its 204 and tears the Kupe clusters down too', async () => {
    const { key } = await s.createTenant('hooli')
    await createCluster(s, 'hooli', key, 'app')
    const id = (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'hooli').executeTakeFirstOrThrow()).id
    const r = await s.request('DELETE', `/v1/tenants/${id}`, { token: s.adminToken })
    assert.equal(r.status, 204, r.text)
    const during = await s.request('GET', `/v1/tenants/${id}`, { token: s.adminToken })
    assert.deepEqual([during.status, during.body.phase], [200, 'Deleting'], 'kept until its cluster is gone')
    await finishSteps('hooli')
    await eventually(async () => ((await s.request('GET', `/v1/tenants/${id}`, { token: s.adminToken })).status === 404 ? true : undefined), 20_000, 'hooli gone')
    assert.equal((await s.server.container.db.selectFrom('clusters').select('id').where('tenant_id', '=', id).execute()).length, 0)
  })
})

describe('tenant deletion: managed secrets targeting a cluster (decision 0030)', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer()
  })
  after(() => s.stop())

  test('deleting a targeted cluster is allowed (204); once it is gone its targets are Failed "not found"', async () => {
    const { key } = await s.createTenant('acme')
    const T = '/api/v1/tenants/acme'
    for (const name of ['keep', 'drop']) await createCluster(s, 'acme', key, name)
    assert.equal((await s.request('PUT', `${T}/vault/db`, { token: key, body: { data: { password: 'p' } } })).status, 200)
    const created = await s.request('POST', `${T}/secrets`, {
      token: key, body: { name: 'db', secretPath: 'db', sync: [{ cluster: 'keep', namespace: 'default' }, { cluster: 'drop', namespace: 'default' }] },
    })
    assert.equal(created.status, 201, created.text)
    assert.equal((await s.request('DELETE', `${T}/clusters/drop`, { token: key })).status, 204)
    await eventually(async () => ((await s.request('GET', `${T}/clusters/drop`, { token: key })).status === 404 ? true : undefined), 20_000, 'drop gone')
    const secret = await eventually(async () => {
      const x = (await s.request('GET', `${T}/secrets/db`, { token: key })).body
      const drop = x.status.syncStatuses.find((t: any) => t.cluster === 'drop')
      return drop?.phase === 'Failed' ? x : undefined
    }, 20_000, 'the target on the deleted cluster Failed')
    assert.deepEqual(secret.spec?.sync ?? secret.sync, [{ cluster: 'keep', namespace: 'default' }, { cluster: 'drop', namespace: 'default' }], 'the definition keeps its targets')
    assert.equal(secret.status.syncStatuses.find((t: any) => t.cluster === 'drop').message, 'Cluster "drop" not found')
  })

  test('a tenant whose secrets target its clusters is deleted all the same: clusters, then secrets and vault with the rows', async () => {
    const { key } = await s.createTenant('globex')
    const T = '/api/v1/tenants/globex'
    await createCluster(s, 'globex', key, 'prod')
    assert.equal((await s.request('PUT', `${T}/vault/api`, { token: key, body: { data: { token: 't' } } })).status, 200)
    const created = await s.request('POST', `${T}/secrets`, { token: key, body: { name: 'api', secretPath: 'api', sync: [{ cluster: 'prod', namespace: 'default' }] } })
    assert.equal(created.status, 201, created.text)
    const id = (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'globex').executeTakeFirstOrThrow()).id
    assert.equal((await cliDelete(s, 'globex', key, 'globex', true)).status, 202)
    // While it runs, the target says its cluster is going.
    await cliWaitForGone(s, 'globex', key)
    const db = s.server.container.db
    assert.equal((await db.selectFrom('secrets').select('name').where('tenant_id', '=', id).execute()).length, 0)
    assert.equal((await db.selectFrom('vault_entries').select('path').where('tenant_id', '=', id).execute()).length, 0)
    assert.equal((await db.selectFrom('clusters').select('id').where('tenant_id', '=', id).execute()).length, 0)
  })
})

describe('tenant deletion resumes after a crash', () => {
  test('a server stopped while the clusters are being torn down finishes the deletion after its restart', async () => {
    // Steps long enough that the first server cannot finish the teardown.
    const first = await startTestServer({ persistent: true, overrides: { simulatedStepSeconds: '600' } })
    const { dataDir, adminToken, databaseUrl } = first
    let second: TestServer | undefined
    try {
      const { key } = await first.createTenant('acme')
      for (const name of ['alpha', 'beta']) await createCluster(first, 'acme', key, name)
      assert.equal((await cliDelete(first, 'acme', key, 'acme', true)).status, 202)
      await teardownStarted(first, 'acme')
      assert.equal((await first.request('GET', '/api/v1/tenants/acme', { token: key })).body.status.phase, 'Deleting')
      await first.server.stop()

      second = await startTestServer({ reuse: { dataDir, adminToken, databaseUrl }, overrides: { simulatedStepSeconds: '0.2' } })
      // Nobody asks again: the controllers' first look after the start carries the deletion on.
      const seen = await second.request('GET', '/api/v1/tenants/acme', { token: key })
      assert.ok(seen.status === 404 || seen.body.status.phase === 'Deleting', seen.text)
      await cliWaitForGone(second, 'acme', key)
      assert.equal(await tenantRows(second, 'acme'), 0)
    } finally {
      await (second ?? first).stop()
    }
  })
})
