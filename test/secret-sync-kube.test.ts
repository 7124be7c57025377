import { CoreV1Api, KubeConfig, type V1Secret } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiFailure } from '../src/kube/managed-secret.js'
import { createRunningCluster, killProcessesOnSignal, requireKubeBinaries } from './helpers/local-clusters.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Issue #3 "must show": managed secrets land in real tenant API servers (spec §5.4, §6.4) — the
// Secret written, prompt updates on vault writes, drift repair, and the real failure reasons.

const T = '/api/v1/tenants/acme'

/** A Kubernetes client of a tenant cluster, authenticated with the tenant's admin API key. */
function coreClient(endpoint: string, caPem: string, token: string): CoreV1Api {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: endpoint, caData: Buffer.from(caPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  })
  return kc.makeApiClient(CoreV1Api)
}

const decoded = (s: V1Secret | undefined) =>
  Object.fromEntries(Object.entries(s?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))

async function readSecret(core: CoreV1Api, namespace: string, name: string): Promise<V1Secret | undefined> {
  try {
    return await core.readNamespacedSecret({ namespace, name })
  } catch (err) {
    if (apiFailure(err)?.code === 404) return undefined
    throw err
  }
}

describe('secret sync into real tenant clusters', () => {
  let s: TestServer
  let admin: string
  let east: CoreV1Api
  let west: CoreV1Api

  const putVault = async (path: string, data: Record<string, string>) => {
    const r = await s.request('PUT', `${T}/vault/${path}`, { token: admin, body: { data } })
    assert.equal(r.status, 200, r.text)
    return r.body.version as number
  }
  const getSecret = async (name: string) => {
    const r = await s.request('GET', `${T}/secrets/${name}`, { token: admin })
    assert.equal(r.status, 200, r.text)
    return r.body
  }
  const statusOf = async (name: string, cluster: string, namespace: string) =>
    (await getSecret(name)).status.syncStatuses.find((t: any) => t.cluster === cluster && t.namespace === namespace)

  before(async () => {
    requireKubeBinaries()
    killProcessesOnSignal(() => s)
    s = await startTestServer({ overrides: { provider: 'local' } })
    admin = (await s.createTenant('acme')).key
    const [e, w] = await Promise.all([createRunningCluster(s, 'acme', admin, 'east'), createRunningCluster(s, 'acme', admin, 'west')])
    east = coreClient(e.endpoint, e.caPem, admin)
    west = coreClient(w.endpoint, w.caPem, admin)
    await east.createNamespace({ body: { metadata: { name: 'backend' } } })
    await west.createNamespace({ body: { metadata: { name: 'frontend' } } })
  })
  after(() => s?.stop())

  test('a secret with targets in two clusters and namespaces shows up in both API servers with the vault data', async () => {
    assert.equal(await putVault('app/db', { username: 'app', password: 's3cr3t' }), 1)
    const created = await s.request('POST', `${T}/secrets`, {
      token: admin,
      body: { name: 'db-creds', secretPath: 'app/db', sync: [
        { cluster: 'east', namespace: 'backend' },
        { cluster: 'west', namespace: 'frontend', secretName: 'database' },
      ] },
    })
    assert.equal(created.status, 201, created.text)
    const synced = await eventually(async () => {
      const sec = await getSecret('db-creds')
      return sec.status.phase === 'Synced' ? sec : undefined
    }, 10_000, 'db-creds to be Synced')
    assert.deepEqual(synced.status.syncStatuses.map((t: any) => [t.cluster, t.namespace, t.secretName, t.phase, t.message, t.sourceVersion]), [
      ['east', 'backend', 'db-creds', 'Synced', '', 1],
      ['west', 'frontend', 'database', 'Synced', '', 1],
    ])
    for (const t of synced.status.syncStatuses) assert.match(t.lastSyncTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    for (const [core, ns, name] of [[east, 'backend', 'db-creds'], [west, 'frontend', 'database']] as const) {
      const live = await readSecret(core, ns, name)
      assert.equal(live?.type, 'Opaque')
      assert.deepEqual(decoded(live), { username: 'app', password: 's3cr3t' })
      assert.deepEqual(live?.metadata?.labels, { 'app.kubernetes.io/managed-by': 'kupe', 'kupe.cloud/secret': 'db-creds' })
      assert.deepEqual(live?.metadata?.annotations, { 'kupe.cloud/source-version': '1' })
    }
  })

  test('changing the vault value updates both clusters within 2 s, and syncStatuses say so', async () => {
    const started = Date.now()
    assert.equal(await putVault('app/db', { username: 'app', password: 'rotated' }), 2)
    const arrived = await eventually(async () => {
      const [a, b] = await Promise.all([readSecret(east, 'backend', 'db-creds'), readSecret(west, 'frontend', 'database')])
      return decoded(a).password === 'rotated' && decoded(b).password === 'rotated' ? Date.now() - started : undefined
    }, 10_000, 'the new value in both clusters')
    assert.ok(arrived < 2_000, `took ${arrived} ms`)
    const live = await readSecret(east, 'backend', 'db-creds')
    assert.equal(live?.metadata?.annotations?.['kupe.cloud/source-version'], '2')
    const sec = await eventually(async () => {
      const x = await getSecret('db-creds')
      return x.status.syncStatuses.every((t: any) => t.sourceVersion === 2 && t.phase === 'Synced') ? x : undefined
    }, 5_000, 'syncStatuses at version 2')
    assert.equal(sec.status.phase, 'Synced')
    assert.equal(sec.status.conditions.find((c: any) => c.type === 'Ready').status, 'True')
  })

  test('drift is repaired: an edited Secret and a deleted Secret are restored', async () => {
    const live = await readSecret(east, 'backend', 'db-creds')
    await east.replaceNamespacedSecret({
      namespace: 'backend', name: 'db-creds',
      body: { ...live, data: { password: Buffer.from('tampered').toString('base64') }, metadata: { ...live!.metadata, annotations: { 'kupe.cloud/source-version': '99' } } },
    })
    await west.deleteNamespacedSecret({ namespace: 'frontend', name: 'database' })
    await eventually(async () => {
      const [a, b] = await Promise.all([readSecret(east, 'backend', 'db-creds'), readSecret(west, 'frontend', 'database')])
      const ok = (x: V1Secret | undefined) =>
        decoded(x).password === 'rotated' && decoded(x).username === 'app' && x?.metadata?.annotations?.['kupe.cloud/source-version'] === '2'
      return ok(a) && ok(b) ? true : undefined
    }, 10_000, 'both Secrets restored by the periodic resync')
    const sec = await getSecret('db-creds')
    assert.equal(sec.status.phase, 'Synced')
  })

  test('an unmanaged Secret is never overwritten; nor is one of another managed secret', async () => {
    await east.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'legacy' }, type: 'Opaque', stringData: { token: 'keep-me' } } })
    const patched = await s.request('PATCH', `${T}/secrets/db-creds`, {
      token: admin,
      body: { sync: [
        { cluster: 'east', namespace: 'backend' },
        { cluster: 'west', namespace: 'frontend', secretName: 'database' },
        { cluster: 'east', namespace: 'default', secretName: 'legacy' },
      ] },
    })
    assert.equal(patched.status, 200, patched.text)
    const failed = await eventually(async () => {
      const t = await statusOf('db-creds', 'east', 'default')
      return t?.phase === 'Failed' ? t : undefined
    }, 10_000, 'the legacy target to fail')
    assert.equal(failed.message, 'Secret exists and is not managed by Kupe')
    assert.equal((await getSecret('db-creds')).status.phase, 'Degraded')
    assert.deepEqual(decoded(await readSecret(east, 'default', 'legacy')), { token: 'keep-me' })

    await putVault('app/other', { a: 'b' })
    const other = await s.request('POST', `${T}/secrets`, { token: admin, body: { name: 'other', secretPath: 'app/other', sync: [{ cluster: 'east', namespace: 'backend', secretName: 'db-creds' }] } })
    assert.equal(other.status, 201, other.text)
    const clash = await eventually(async () => {
      const t = await statusOf('other', 'east', 'backend')
      return t?.phase === 'Failed' ? t : undefined
    }, 10_000, 'the clashing target to fail')
    assert.equal(clash.message, 'Secret is managed by "db-creds"')
    assert.equal(decoded(await readSecret(east, 'backend', 'db-creds')).password, 'rotated')
  })

  test('real reasons: a missing namespace, a namespace being deleted (forbidden)', async () => {
    // A finalizer nobody removes keeps the namespace Terminating: Kubernetes refuses new content.
    await west.createNamespace({ body: { metadata: { name: 'closing', finalizers: ['example.com/hold'] } } })
    await west.deleteNamespace({ name: 'closing' })
    await putVault('app/cfg', { k: 'v' })
    const r = await s.request('POST', `${T}/secrets`, {
      token: admin,
      body: { name: 'cfg', secretPath: 'app/cfg', sync: [{ cluster: 'east', namespace: 'nope' }, { cluster: 'west', namespace: 'closing' }, { cluster: 'gone', namespace: 'default' }] },
    })
    assert.equal(r.status, 201, r.text)
    const sec = await eventually(async () => {
      const x = await getSecret('cfg')
      return x.status.phase === 'Failed' ? x : undefined
    }, 10_000, 'cfg to fail')
    const [missing, closing, gone] = sec.status.syncStatuses
    assert.equal(missing.message, 'Namespace "nope" not found')
    assert.match(closing.message, /forbidden: unable to create new content in namespace closing because it is being terminated/)
    assert.equal(gone.message, 'Cluster "gone" not found')
    await west.patchNamespace({ name: 'closing', body: [{ op: 'remove', path: '/metadata/finalizers' }] })
  })

  test('a PATCH that removes a target stops syncing it; the Secret already written stays', async () => {
    const r = await s.request('PATCH', `${T}/secrets/db-creds`, { token: admin, body: { sync: [{ cluster: 'east', namespace: 'backend' }] } })
    assert.equal(r.status, 200, r.text)
    await putVault('app/db', { username: 'app', password: 'third' })
    await eventually(async () => (decoded(await readSecret(east, 'backend', 'db-creds')).password === 'third' ? true : undefined), 10_000, 'east updated')
    const kept = await readSecret(west, 'frontend', 'database')
    assert.equal(decoded(kept).password, 'rotated', 'the removed target keeps what it had')
    assert.equal(kept?.metadata?.labels?.['kupe.cloud/secret'], 'db-creds')
    const sec = await getSecret('db-creds')
    assert.deepEqual(sec.status.syncStatuses.map((t: any) => [t.cluster, t.phase, t.sourceVersion]), [['east', 'Synced', 3]])
  })
})
