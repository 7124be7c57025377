// test engines: one — its subject is an Alertmanager process delivering to a webhook; the config API on both engines is test/alertmanager.test.ts (decision 0031).
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { tenantAlertmanagerFile } from '../src/domain/alertmanager/alertmanager-service.js'
import { findAlertmanagerRelease } from '../src/providers/local/alertmanager-binaries.js'
import { alertmanagerConfigHash, type LocalAlertmanagers } from '../src/providers/local/alertmanager-host.js'
import type { LocalProvider } from '../src/providers/local/local-provider.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Delivered for real (issue #12): with the `local` provider the platform runs an Alertmanager
// per tenant on the tenant's assembled configuration. An alert fired into it through
// Alertmanager's v2 API reaches a webhook receiver this test runs; a changed receiver is
// reloaded; removing the last receiver stops the Alertmanager and removes its files.

if (!findAlertmanagerRelease(join(homedir(), '.cache/kupe/alertmanager'))) {
  throw new Error('Alertmanager is not built: run `npm run alertmanager:build` (tools/alertmanager/build.sh)')
}

interface Delivery {
  path: string
  body: { receiver: string; status: string; alerts: Array<{ labels: Record<string, string> }> }
}

function webhookReceiver(): Promise<{ server: Server; port: number; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Delivery['body'] })
      res.writeHead(200).end()
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, deliveries })))
}

describe('tenant Alertmanager on the local provider', () => {
  let s: TestServer
  let admin: string
  let tenantId: string
  let hook: Awaited<ReturnType<typeof webhookReceiver>>
  const A = '/api/v1/tenants/acme/alertmanager'
  const host = () => (s.server.container.provider as LocalProvider).alertmanagers as LocalAlertmanagers

  before(async () => {
    hook = await webhookReceiver()
    s = await startTestServer({ overrides: { provider: 'local' } })
    admin = (await s.createTenant('acme')).key
    tenantId = (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'acme').executeTakeFirstOrThrow()).id
  })
  after(async () => {
    await s.stop()
    hook.server.close()
  })

  /** The tenant's Alertmanager, once it serves the configuration stored now (its own config hash says so). */
  const serving = async (): Promise<string> => {
    const want = alertmanagerConfigHash((await tenantAlertmanagerFile(s.server.container, tenantId))!)
    return eventually(async () => {
      const url = host().urlOf(tenantId)
      if (!url) return undefined
      const metrics = await (await fetch(`${url}/metrics`)).text()
      const line = metrics.split('\n').find((l) => l.startsWith('alertmanager_config_hash '))
      return Number(line?.split(' ')[1]) === want ? url : undefined
    }, 30_000, 'the tenant Alertmanager serving the stored configuration')
  }

  const fire = async (url: string, alertname: string, severity: string) => {
    const r = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname, severity }, annotations: { summary: `${alertname} fired by the test` } }]),
    })
    assert.equal(r.status, 200, await r.text())
  }
  const delivered = (alertname: string) =>
    eventually(async () => hook.deliveries.find((d) => d.body.alerts.some((a) => a.labels.alertname === alertname)), 30_000, `a webhook delivery of ${alertname}`)

  test('an alert fired into the tenant\'s Alertmanager reaches the webhook receiver of its route', async () => {
    const receiver = await s.request('PUT', `${A}/receivers/ops-hook`, {
      token: admin, body: { webhook_configs: [{ url: `http://127.0.0.1:${hook.port}/hooks/first?token=t0k3n`, send_resolved: false }] },
    })
    assert.equal(receiver.status, 201, receiver.text)
    const routes = await s.request('PUT', `${A}/routes`, {
      token: admin, body: { items: [{ receiver: 'ops-hook', matchers: ['severity="critical"'], group_by: ['alertname'], group_wait: '1s', group_interval: '1s' }] },
    })
    assert.equal(routes.status, 200, routes.text)
    const url = await serving()
    assert.ok(url.startsWith('http://127.0.0.1:'))

    await fire(url, 'DiskFull', 'critical')
    const got = await delivered('DiskFull')
    // The real URL, with its token, reached Alertmanager (the API only ever shows "<secret>").
    assert.equal(got.path, '/hooks/first?token=t0k3n')
    assert.equal(got.body.receiver, 'ops-hook')
    assert.equal(got.body.status, 'firing')
    assert.deepEqual(got.body.alerts.map((a) => a.labels), [{ alertname: 'DiskFull', severity: 'critical' }])
  })

  test('a changed receiver is reloaded: the next alert goes to its new URL', async () => {
    const changed = await s.request('PUT', `${A}/receivers/ops-hook`, {
      token: admin, body: { webhook_configs: [{ url: `http://127.0.0.1:${hook.port}/hooks/second`, send_resolved: false }] },
    })
    assert.equal(changed.status, 200, changed.text)
    const before = host().urlOf(tenantId)
    const url = await serving()
    assert.equal(url, before, 'reloaded in place, on the same port')
    await fire(url, 'CertExpiring', 'critical')
    assert.equal((await delivered('CertExpiring')).path, '/hooks/second')
  })

  test('without receivers the tenant\'s Alertmanager stops and its files (with the secrets) are removed', async () => {
    const url = host().urlOf(tenantId)!
    const dir = join(s.dataDir, 'local', 'alertmanager', tenantId)
    assert.ok(existsSync(join(dir, 'alertmanager.yml')))
    assert.equal((await s.request('PUT', `${A}/routes`, { token: admin, body: { items: null } })).status, 200)
    assert.equal((await s.request('DELETE', `${A}/receivers/ops-hook`, { token: admin })).status, 204)
    await eventually(async () => (existsSync(dir) ? undefined : true), 30_000, 'the Alertmanager directory removed')
    await assert.rejects(fetch(`${url}/-/ready`), 'nothing listens on its port any more')
    assert.deepEqual(host().tenants(), [])
  })

  test('deleting the tenant removes its Alertmanager too', async () => {
    const key = (await s.createTenant('gone')).key
    const id = (await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', 'gone').executeTakeFirstOrThrow()).id
    const put = await s.request('PUT', '/api/v1/tenants/gone/alertmanager/receivers/hook', {
      token: key, body: { webhook_configs: [{ url: `http://127.0.0.1:${hook.port}/hooks/gone` }] },
    })
    assert.equal(put.status, 201, put.text)
    const url = await eventually(async () => {
      const u = host().urlOf(id)
      return u && (await fetch(`${u}/-/ready`).then((r) => r.status === 200, () => false)) ? u : undefined
    }, 30_000, 'the Alertmanager of tenant gone')
    assert.equal((await s.request('DELETE', '/api/v1/admin/tenants/gone', { token: s.adminToken })).status, 202)
    await eventually(async () => (host().tenants().includes(id) ? undefined : true), 30_000, 'the Alertmanager of the deleted tenant removed')
    await assert.rejects(fetch(`${url}/-/ready`))
  })
})
