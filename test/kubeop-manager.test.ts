import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { signJwt } from './helpers/jwt.js'
import { startKube, type Kube } from './k8s.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * The manager API of seed 004 over real HTTP, against a real kube-apiserver registered as the
 * host cluster: registration checks, tenants with envelopes, projects, apps, the exact errors
 * the seed lists (400/401/403/404/409), JWT roles and the signed event outbox.
 */
describe('kubeOP manager API', () => {
  const jwtKey = randomBytes(32)
  const hookSecret = 'hook-secret'
  const received: Array<{ body: { event: string; data: Record<string, unknown> }; signature: string | undefined; valid: boolean }> = []
  let hookFailuresLeft = 1
  let hook: Server
  let kube: Kube
  let s: TestServer
  let admin: string
  let clusterId: string
  let acmeId: string
  let globexId: string
  let projectId: string

  // Each request comes from its own client address (a trusted proxy's X-Forwarded-For), so the
  // deliberate authentication failures below never trip the §4.3 penalty for the next ones.
  let client = 0
  const v1 = (method: string, path: string, token: string | undefined, body?: unknown) =>
    s.request(method, path, { token, body, headers: { 'x-forwarded-for': `10.1.${Math.floor(++client / 250)}.${client % 250}` } })

  before(async () => {
    hook = createServer((req, res) => {
      let raw = ''
      req.on('data', (c: Buffer) => (raw += c.toString()))
      req.on('end', () => {
        // The first delivery fails: the event must come again, whole.
        if (hookFailuresLeft-- > 0) return void res.writeHead(503).end()
        const signature = req.headers['x-kubeop-signature'] as string | undefined
        const expected = `sha256=${createHmac('sha256', hookSecret).update(raw).digest('hex')}`
        received.push({ body: JSON.parse(raw), signature, valid: signature === expected })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/events`
    kube = await startKube()
    s = await startTestServer({
      overrides: { jwtSigningKey: jwtKey.toString('base64'), imageAllowlist: 'kupe.local,ghcr.io', hookUrl, hookSecret, trustedProxies: '127.0.0.1' },
    })
    admin = await signJwt(jwtKey, { sub: 'admin', role: 'admin' })
  })
  after(async () => {
    await s?.stop()
    await kube?.stop()
    hook?.close()
  })

  test('registering a host cluster checks it first; the answer has the seed\'s shape', async () => {
    const kubeconfig = readFileSync(kube.kubeconfigPath, 'utf8')
    const path = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig: kube.kubeconfigPath })
    assert.equal(path.status, 400)
    assert.match(path.body.error, /content, not its path/)
    const garbage = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig: 'clusters: [oops' })
    assert.equal(garbage.status, 400)
    assert.match(garbage.body.error, /^Invalid kubeconfig: /)
    const unreachable = JSON.parse(kubeconfig)
    unreachable.clusters[0].cluster.server = 'https://127.0.0.1:1'
    const down = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig: JSON.stringify(unreachable) })
    assert.equal(down.status, 400)
    assert.match(down.body.error, /^Cannot reach the cluster: unreachable/)
    const exec = JSON.parse(kubeconfig)
    exec.users[0].user = { exec: { command: '/bin/sh', args: ['-c', 'touch /tmp/pwned'], apiVersion: 'client.authentication.k8s.io/v1' } }
    const refused = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig: JSON.stringify(exec) })
    assert.equal(refused.status, 400)
    assert.match(refused.body.error, /exec and auth-provider users are not accepted/)

    const r = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig })
    assert.equal(r.status, 201, r.text)
    clusterId = r.body.id
    assert.match(clusterId, /^[0-9a-f-]{36}$/)
    assert.deepEqual(r.body.labels, { 'app.kubeop.io/cluster-id': clusterId })
    assert.deepEqual(r.body.finalizers, ['kubeop.io/cleanup'])
    assert.ok(!Number.isNaN(Date.parse(r.body.created_at)))
    const again = await v1('POST', '/v1/clusters', admin, { name: 'dev', kubeconfig })
    assert.deepEqual([again.status, again.body], [409, { error: 'Host cluster name already exists' }])

    const one = await v1('GET', `/v1/clusters/${clusterId}`, admin)
    assert.equal(one.status, 200, one.text)
    assert.equal(one.body.status.phase, 'Ready')
    assert.equal(one.body.status.server_version, kube.version)
    assert.equal(one.body.status.node_count, 0)
    assert.equal(one.body.status.conditions[0].type, 'Ready')
    assert.ok(!JSON.stringify(one.body).includes('certificate-authority-data'), 'the kubeconfig is never shown')
    const list = await v1('GET', '/v1/clusters', admin)
    assert.deepEqual(list.body.map((c: { id: string }) => c.id), [clusterId])
    assert.deepEqual((await v1('GET', '/v1/clusters/6f1c3a7e-0000-4000-8000-000000000000', admin)).body, { error: 'Host cluster not found' })
  })

  test('tenants are placed on the host cluster with a quota envelope', async () => {
    const acme = await v1('POST', '/v1/tenants', admin, { name: 'acme', clusterID: clusterId, quota: { cpu: '4', memory: '8Gi', pods: 50 } })
    assert.equal(acme.status, 201, acme.text)
    acmeId = acme.body.id
    assert.equal(acme.body.cluster_id, clusterId)
    assert.deepEqual(acme.body.envelope, { cpu: '4', memory: '8Gi', pods: 50 })
    const globex = await v1('POST', '/v1/tenants', admin, { name: 'globex', clusterID: clusterId })
    globexId = globex.body.id
    assert.equal(globex.status, 201, globex.text)
    // The same tenant the Kupe admin API knows.
    const kupe = await s.request('GET', '/api/v1/admin/tenants/acme', { token: s.adminToken })
    assert.equal(kupe.status, 200)
    const ghost = await v1('POST', '/v1/tenants', admin, { name: 'ghost', clusterID: '6f1c3a7e-0000-4000-8000-000000000000' })
    assert.deepEqual([ghost.status, ghost.body], [404, { error: 'Host cluster not found' }])
  })

  test('a project whose quota overflows the envelope, or takes another tenant\'s namespace, is 400', async () => {
    const ok = await v1('POST', '/v1/projects', admin, { tenantID: acmeId, name: 'web', quota: { cpu: '3', memory: '4Gi', pods: 20 } })
    assert.equal(ok.status, 201, ok.text)
    projectId = ok.body.id
    assert.equal(ok.body.namespace, 'kubeop-acme-web')
    const overflow = await v1('POST', '/v1/projects', admin, { tenantID: acmeId, name: 'batch', quota: { cpu: '2' } })
    assert.equal(overflow.status, 400)
    assert.equal(overflow.body.error, "Quota exceeds the tenant's envelope: cpu 2 requested, 1 available")
    const mismatch = await v1('POST', '/v1/projects', admin, { tenantID: globexId, name: 'web', namespace: 'kubeop-acme-web' })
    assert.deepEqual([mismatch.status, mismatch.body.error], [400, 'Namespace "kubeop-acme-web" belongs to another tenant'])
    const reserved = await v1('POST', '/v1/projects', admin, { tenantID: globexId, name: 'sys', namespace: 'kube-system' })
    assert.deepEqual([reserved.status, reserved.body.error], [400, 'Namespace "kube-system" is reserved'])
  })

  test('an app from a registry off the allow-list is 400; an allowed one is accepted', async () => {
    const evil = await v1('POST', '/v1/apps', admin, { projectID: projectId, name: 'web', image: 'evil.io/miner:latest' })
    assert.deepEqual([evil.status, evil.body.error], [400, 'image registry not allowed: evil.io'])
    const hub = await v1('POST', '/v1/apps', admin, { projectID: projectId, name: 'web', image: 'library/nginx' })
    assert.deepEqual([hub.status, hub.body.error], [400, 'image registry not allowed: docker.io'], 'library/nginx is Docker Hub, not host "library"')
    const hookImage = await v1('POST', '/v1/apps', admin, {
      projectID: projectId, name: 'web', image: 'kupe.local/busybox:1', hooks: { pre: [{ name: 'migrate', image: 'evil.io/x' }] },
    })
    assert.deepEqual([hookImage.status, hookImage.body.field], [400, 'hooks.pre[0].image'])
    const ok = await v1('POST', '/v1/apps', admin, { projectID: projectId, name: 'web', image: 'kupe.local/busybox:1', replicas: 2, ports: [{ containerPort: 8080 }] })
    assert.equal(ok.status, 201, ok.text)
    assert.equal(ok.body.namespace, 'kubeop-acme-web')
    assert.equal(ok.body.status.phase, 'Pending')
  })

  test('deleting a parent with dependents is 409', async () => {
    const cluster = await v1('DELETE', `/v1/clusters/${clusterId}`, admin)
    assert.deepEqual([cluster.status, cluster.body], [409, { error: 'Host cluster has 2 tenant(s) placed on it' }])
    const tenant = await v1('DELETE', `/v1/tenants/${acmeId}`, admin)
    assert.deepEqual([tenant.status, tenant.body], [409, { error: 'Tenant has 1 project(s); delete them first' }])
    const project = await v1('DELETE', `/v1/projects/${projectId}`, admin)
    assert.deepEqual([project.status, project.body], [409, { error: 'Project has 1 app(s); delete them first' }])
    const kupeDelete = await s.request('DELETE', '/api/v1/admin/tenants/acme', { token: s.adminToken })
    assert.deepEqual([kupeDelete.status, kupeDelete.body], [409, { error: 'Tenant has 1 project(s); delete them first' }])
  })

  test('JWTs: missing, malformed, badly signed, expired or alg=none is 401; a wrong role is 403', async () => {
    const unauthenticated = { error: 'Missing or invalid authentication' }
    assert.deepEqual((await v1('GET', '/v1/tenants', undefined)).body, unauthenticated)
    assert.equal((await v1('GET', '/v1/tenants', 'not-a-token')).status, 401)
    const otherKey = await signJwt(randomBytes(32), { role: 'admin' })
    assert.deepEqual([(await v1('GET', '/v1/tenants', otherKey)).status], [401])
    const expired = await signJwt(jwtKey, { role: 'admin' }, { expiresInSeconds: -120 })
    assert.deepEqual((await v1('GET', '/v1/tenants', expired)).body, unauthenticated)
    const [h, p] = admin.split('.')
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`
    assert.equal((await v1('GET', '/v1/tenants', none)).status, 401)
    assert.equal((await v1('GET', '/v1/tenants', `${h}.${p}.AAAA`)).status, 401)

    const acmeToken = await signJwt(jwtKey, { sub: 'acme-ci', role: 'tenant', scope: `tenant:${acmeId}` })
    assert.deepEqual((await v1('GET', '/v1/tenants', acmeToken)).body, { error: 'Admin access required' })
    assert.equal((await v1('GET', `/v1/tenants/${acmeId}`, acmeToken)).status, 200)
    assert.deepEqual((await v1('GET', `/v1/tenants/${globexId}`, acmeToken)).body, { error: 'Forbidden: this token may not do that' })
    assert.equal((await v1('GET', `/v1/projects?tenantID=${acmeId}`, acmeToken)).body.length, 1)
    const projectToken = await signJwt(jwtKey, { sub: 'web-deployer', role: 'project', scope: `project:${projectId}` })
    assert.equal((await v1('GET', `/v1/tenants/${acmeId}`, projectToken)).status, 403)
    assert.equal((await v1('GET', `/v1/projects/${projectId}`, projectToken)).status, 200)
    assert.equal((await v1('GET', `/v1/apps?projectID=${projectId}`, projectToken)).body.length, 1)
    assert.equal((await v1('POST', '/v1/clusters', projectToken, { name: 'x', kubeconfig: 'y' })).status, 403)
    // A scope that does not match its role is no token at all.
    const crossed = await signJwt(jwtKey, { role: 'tenant', scope: `project:${projectId}` })
    assert.equal((await v1('GET', `/v1/tenants/${acmeId}`, crossed)).status, 401)
    // The platform admin token keeps working.
    assert.equal((await v1('GET', '/v1/tenants', s.adminToken)).status, 200)
  })

  test('the usage snapshot and analytics count real projects, apps and namespaces', async () => {
    const snap = await v1('GET', '/v1/usage/snapshot', admin)
    assert.equal(snap.status, 200, snap.text)
    assert.deepEqual([snap.body.totals.projects, snap.body.totals.apps, snap.body.totals.namespaces], [1, 1, 1])
    const acme = snap.body.tenants.find((t: { tenant_name: string }) => t.tenant_name === 'acme')
    assert.deepEqual([acme.projects, acme.apps, acme.namespaces, acme.quotas], [1, 1, 1, null], 'an envelope without storage is unlimited')
    const stats = await v1('GET', '/v1/analytics/summary', admin)
    assert.deepEqual(stats.body.apps.by_registry, { 'kupe.local': 1 })
    assert.deepEqual([stats.body.projects.total, stats.body.apps.total], [1, 1])
  })

  test('events reach the hook, signed, after a failed first attempt, and were never sent inside a request', async () => {
    const got = await eventually(async () => {
      const types = received.map((e) => e.body.event)
      return ['cluster.registered', 'tenant.created', 'project.created', 'app.created'].every((t) => types.includes(t)) ? types : undefined
    }, 30_000, 'events delivered')
    assert.ok(received.every((e) => e.valid), 'every delivery carries a valid X-KubeOP-Signature')
    assert.equal(got.filter((t) => t === 'tenant.created').length, 2, 'each event once')
    const app = received.find((e) => e.body.event === 'app.created')!
    assert.equal(app.body.data.project_id, projectId)
  })
})
