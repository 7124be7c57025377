// test engines: one — its subject is the Kubernetes test harness, no store involved (decision 0031).
import { ApiException, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { httpsGet } from './helpers/kube-process.js'
import { pinnedKubeVersion, startKube, type Kube } from './k8s.js'

function tokenClient(kube: Kube, user: { name: string; token?: string }): CoreV1Api {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: kube.server, caData: Buffer.from(kube.caPem).toString('base64'), skipTLSVerify: false }],
    users: [user],
    contexts: [{ name: 'ctx', cluster: 'c', user: user.name }],
    currentContext: 'ctx',
  })
  return kc.makeApiClient(CoreV1Api)
}

/** The HTTP status of a client call that must fail, and the message Kubernetes gave. */
async function failure(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call
  } catch (err) {
    if (!(err instanceof ApiException)) throw err
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as { message?: string }) : (err.body as { message?: string })
    return { code: err.code, message: body?.message ?? '' }
  }
  throw new Error('the call succeeded')
}

describe('Kubernetes test harness (etcd + kube-apiserver + kube-controller-manager)', () => {
  let kube: Kube
  let core: CoreV1Api
  before(async () => {
    kube = await startKube({ controllerManager: true })
    const kc = new KubeConfig()
    kc.loadFromFile(kube.kubeconfigPath)
    core = kc.makeApiClient(CoreV1Api)
  })
  after(() => kube?.stop())

  test('runs the release pinned in tools/k8s/go.mod and reports it on /version', async () => {
    assert.equal(kube.version, pinnedKubeVersion())
    const info = JSON.parse((await httpsGet(`${kube.server}/version`, { ca: kube.caPem, token: kube.adminToken })).body)
    const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(pinnedKubeVersion()) ?? []
    assert.deepEqual([info.gitVersion, info.major, info.minor, info.gitTreeState], [pinnedKubeVersion(), major, minor, 'clean'])
  })

  test('the admin kubeconfig creates a namespace and a Secret and reads them back', async () => {
    await core.createNamespace({ body: { metadata: { name: 'harness', labels: { team: 'kupe' } } } })
    const ns = await core.readNamespace({ name: 'harness' })
    assert.equal(ns.metadata?.labels?.team, 'kupe')
    assert.equal(ns.status?.phase, 'Active')

    await core.createNamespacedSecret({
      namespace: 'harness',
      body: { metadata: { name: 'db' }, type: 'Opaque', stringData: { password: 's3cret' } },
    })
    const secret = await core.readNamespacedSecret({ namespace: 'harness', name: 'db' })
    assert.equal(Buffer.from(secret.data?.password ?? '', 'base64').toString(), 's3cret')
    assert.equal(secret.type, 'Opaque')

    const again = await failure(core.createNamespacedSecret({ namespace: 'harness', body: { metadata: { name: 'db' } } }))
    assert.equal(again.code, 409)
  })

  test('the static admin token is in system:masters', async () => {
    const admin = tokenClient(kube, { name: 'admin', token: kube.adminToken })
    const list = await admin.listNamespacedSecret({ namespace: 'harness' })
    assert.deepEqual(list.items.map((s) => s.metadata?.name), ['db'])
  })

  test('RBAC denies anonymous and unprivileged requests, and an unknown token is unauthenticated', async () => {
    const anonymous = await failure(tokenClient(kube, { name: 'anonymous' }).listNamespacedSecret({ namespace: 'harness' }))
    assert.equal(anonymous.code, 403)
    assert.match(anonymous.message, /User "system:anonymous" cannot list resource "secrets"/)

    const user = tokenClient(kube, { name: 'user', token: kube.userToken })
    const denied = await failure(user.readNamespacedSecret({ namespace: 'harness', name: 'db' }))
    assert.equal(denied.code, 403)
    assert.match(denied.message, /User "kupe-unprivileged" cannot get resource "secrets" in API group "" in the namespace "harness"/)

    const unknown = await failure(tokenClient(kube, { name: 'bad', token: 'not-a-token' }).listNamespace())
    assert.equal(unknown.code, 401)
  })

  test('a RoleBinding grants the unprivileged user exactly what it names', async () => {
    const kc = new KubeConfig()
    kc.loadFromFile(kube.kubeconfigPath)
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api)
    await rbac.createNamespacedRole({
      namespace: 'harness',
      body: { metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
    })
    await rbac.createNamespacedRoleBinding({
      namespace: 'harness',
      body: {
        metadata: { name: 'secret-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'kupe-unprivileged' }],
      },
    })
    const user = tokenClient(kube, { name: 'user', token: kube.userToken })
    const secret = await eventually(() => user.readNamespacedSecret({ namespace: 'harness', name: 'db' }), 15_000, 'the RoleBinding to apply')
    assert.equal(secret.metadata?.name, 'db')
    assert.equal((await failure(user.listNamespacedSecret({ namespace: 'harness' }))).code, 403)
    assert.equal((await failure(user.readNamespace({ name: 'harness' }))).code, 403)
  })

  test('the controller manager runs: service accounts appear and a deleted namespace goes away with its contents', async () => {
    const sa = await eventually(() => core.readNamespacedServiceAccount({ namespace: 'harness', name: 'default' }), 30_000, 'the default ServiceAccount')
    assert.equal(sa.metadata?.name, 'default')

    await core.deleteNamespace({ name: 'harness' })
    const gone = await eventually(async () => {
      const r = await failure(core.readNamespace({ name: 'harness' }))
      return r.code === 404 ? r : undefined
    }, 60_000, 'the namespace to finish deleting')
    assert.equal(gone.code, 404)
    assert.equal((await failure(core.readNamespacedSecret({ namespace: 'harness', name: 'db' }))).code, 404)
  })

  test('stop() ends every process and removes the working directory', async () => {
    const { dir, server, caPem } = kube
    assert.ok(existsSync(dir))
    await kube.stop()
    assert.equal(existsSync(dir), false)
    await assert.rejects(httpsGet(`${server}/readyz`, { ca: caPem }), /ECONNREFUSED/)
    await kube.stop() // a second stop is harmless
  })
})

describe('Kubernetes test harness without binaries', () => {
  test('fails with a message that says how to build them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kupe-no-k8s-'))
    const saved = process.env.KUPE_K8S_DIR
    process.env.KUPE_K8S_DIR = empty
    try {
      await assert.rejects(startKube(), /Kubernetes binary etcd not found in .*: run `npm run k8s:build`/)
    } finally {
      if (saved === undefined) delete process.env.KUPE_K8S_DIR
      else process.env.KUPE_K8S_DIR = saved
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
