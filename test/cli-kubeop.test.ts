import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { cliHome, ensureBuilt, runKupe } from './helpers/cli.js'
import { startTestServer, type TestServer } from './helpers/server.js'
import { startKube, type Kube } from './k8s.js'

/**
 * `kupe admin host-cluster|tenant place|project|app …` against a real server whose host cluster
 * is a real kube-apiserver: the commands a platform operator types, their output and exit codes.
 */
describe('kupe admin: host clusters, projects and apps', () => {
  let kube: Kube
  let s: TestServer
  let home: string
  const kupe = (...args: string[]) => runKupe(home, args, { env: { KUPE_API_URL: s.url, KUPE_ADMIN_TOKEN: s.adminToken } })
  let hostId: string
  let tenantId: string
  let projectId: string
  let appId: string

  before(async () => {
    ensureBuilt()
    kube = await startKube()
    s = await startTestServer({ overrides: { imageAllowlist: 'kupe.local' } })
    home = cliHome()
    await s.createTenant('acme')
  })
  after(async () => {
    await s?.stop()
    await kube?.stop()
  })

  test('register, list and get a host cluster', async () => {
    const reg = await kupe('admin', 'host-cluster', 'register', 'dev', '--kubeconfig', kube.kubeconfigPath, '-q')
    assert.equal(reg.code, 0, reg.stderr)
    hostId = reg.stdout.trim()
    assert.match(hostId, /^[0-9a-f-]{36}$/)
    const list = await kupe('admin', 'host-cluster', 'list')
    assert.equal(list.code, 0, list.stderr)
    assert.match(list.stdout, /^ID\s+NAME\s+PHASE\s+VERSION\s+NODES\s+TENANTS/m)
    assert.match(list.stdout, new RegExp(`${hostId}\\s+dev\\s+Ready\\s+${kube.version.replace(/\./g, '\\.')}`))
    const get = await kupe('admin', 'host-cluster', 'get', hostId)
    assert.match(get.stdout, /Ready:\s+True \(Healthy\) The API server is ready/)
    const again = await kupe('admin', 'host-cluster', 'register', 'dev', '--kubeconfig', kube.kubeconfigPath)
    assert.equal(again.code, 5, 'a duplicate name is a conflict')
    assert.match(again.stderr, /Host cluster name already exists/)
  })

  test('place the tenant, create a project and an app; refused deletes explain themselves', async () => {
    const place = await kupe('admin', 'tenant', 'place', 'acme', '--host-cluster', hostId, '--cpu', '4', '--memory', '8Gi', '-q')
    assert.equal(place.code, 0, place.stderr)
    tenantId = place.stdout.trim()
    const tooBig = await kupe('admin', 'project', 'create', 'web', '--tenant-id', tenantId, '--cpu', '5')
    assert.equal(tooBig.code, 2)
    assert.match(tooBig.stderr, /Quota exceeds the tenant's envelope: cpu 5 requested, 4 available/)
    const project = await kupe('admin', 'project', 'create', 'web', '--tenant-id', tenantId, '--cpu', '2', '-q')
    assert.equal(project.code, 0, project.stderr)
    projectId = project.stdout.trim()
    const listed = await kupe('admin', 'project', 'list', '--tenant-id', tenantId)
    assert.match(listed.stdout, /kubeop-acme-web/)

    const evil = await kupe('admin', 'app', 'create', 'web', '--project', projectId, '--image', 'evil.io/x:1')
    assert.deepEqual([evil.code, /image registry not allowed: evil\.io/.test(evil.stderr)], [2, true])
    const app = await kupe('admin', 'app', 'create', 'web', '--project', projectId, '--image', 'kupe.local/busybox:1.35.0', '--port', '8080',
      '--env', 'GREETING=hello', '--pre-hook', 'migrate=echo migrating', '-q')
    assert.equal(app.code, 0, app.stderr)
    appId = app.stdout.trim()
    const json = JSON.parse((await kupe('admin', 'app', 'get', appId, '-o', 'json')).stdout)
    assert.deepEqual(json.hooks, { pre: [{ name: 'migrate', command: ['sh', '-c', 'echo migrating'] }] })
    assert.deepEqual(json.env, [{ name: 'GREETING', value: 'hello' }])
    const update = await kupe('admin', 'app', 'update', appId, '--replicas', '3')
    assert.equal(update.code, 0, update.stderr)
    assert.match(update.stdout, /updated to generation 2/)

    const hostDelete = await kupe('admin', 'host-cluster', 'delete', hostId, '--yes')
    assert.equal(hostDelete.code, 5)
    assert.match(hostDelete.stderr, /Host cluster has 1 tenant\(s\) placed on it/)
    const projectDelete = await kupe('admin', 'project', 'delete', projectId, '--yes')
    assert.equal(projectDelete.code, 5)
    assert.match(projectDelete.stderr, /Project has 1 app\(s\)/)
    const noYes = await kupe('admin', 'app', 'delete', appId)
    assert.equal(noYes.code, 2, 'deleting asks for --yes')
  })
})
