import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, describe, test } from 'node:test'
import { reconcileTenantSecrets } from '../src/controllers/secret-sync-controller.js'
import type { ProviderCluster } from '../src/domain/clusters/schema.js'
import type { SecretWrite, SecretWriteResult } from '../src/kube/secret-write.js'
import type { ProviderState } from '../src/providers/types.js'
import { insertCluster } from '../src/store/clusters.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Secret synchronisation (spec §5.4, §6.4) with the simulated provider: per-target phases and
// messages, the secret's phase and Ready condition, and prompt resync on vault writes. Clusters
// are created through the API; the provider's writeSecret is observed (and made to fail) in place.

const T = '/api/v1/tenants/acme'

interface Write {
  cluster: string
  secret: SecretWrite
}

describe('secret sync', () => {
  let s: TestServer
  let admin: string
  let tenantId: string
  const writes: Write[] = []
  /** Namespaces whose writes the provider refuses, with its message. */
  const refusals = new Map<string, string>()
  let throwOnWrite = false

  before(async () => {
    // No periodic resync during the test: every sync below happens because something signalled it.
    s = await startTestServer({ overrides: { resyncSeconds: '3600' } })
    admin = (await s.createTenant('acme')).key
    tenantId = await tenantIdOf(s, 'acme')
    const provider = s.server.container.provider
    const original = provider.writeSecret.bind(provider)
    provider.writeSecret = async (cluster: ProviderCluster<ProviderState>, secret: SecretWrite): Promise<SecretWriteResult> => {
      if (throwOnWrite) throw new Error('connection refused')
      const refused = refusals.get(secret.namespace)
      if (refused) return { ok: false, message: refused }
      writes.push({ cluster: cluster.name, secret: structuredClone(secret) })
      return original(cluster, secret)
    }
    await runningCluster('prod')
  })
  after(() => s.stop())
  beforeEach(() => {
    refusals.clear()
    throwOnWrite = false
  })

  async function runningCluster(name: string): Promise<void> {
    const r = await s.request('POST', `${T}/clusters`, { token: admin, body: { name } })
    assert.equal(r.status, 201, r.text)
    await eventually(async () => {
      const c = await s.request('GET', `${T}/clusters/${name}`, { token: admin })
      return c.body.status.phase === 'Running' ? true : undefined
    }, 15_000, `cluster ${name} running`)
  }

  const putVault = async (path: string, data: Record<string, string>) => {
    const r = await s.request('PUT', `${T}/vault/${path}`, { token: admin, body: { data } })
    assert.equal(r.status, 200)
    return r.body as { version: number }
  }
  const createSecret = async (body: unknown) => {
    const r = await s.request('POST', `${T}/secrets`, { token: admin, body })
    assert.equal(r.status, 201, r.text)
    return r.body
  }
  const getSecret = async (name: string) => (await s.request('GET', `${T}/secrets/${name}`, { token: admin })).body
  /** Polls the secret until `ok` holds for it. */
  const secretWhen = (name: string, ok: (secret: any) => boolean, what = name) =>
    eventually(async () => {
      const secret = await getSecret(name)
      return ok(secret) ? secret : undefined
    }, 10_000, what)
  const ready = (secret: any) => secret.status.conditions.find((c: { type: string }) => c.type === 'Ready')
  const writesOf = (managed: string) => writes.filter((w) => w.secret.managedSecret === managed)

  test('a target on a Running cluster becomes Synced with the vault version', async () => {
    await putVault('production/db-password', { username: 'app', password: 's3cr3t' })
    const created = await createSecret({
      name: 'db-password', secretPath: 'production/db-password',
      sync: [{ cluster: 'prod', namespace: 'default' }, { cluster: 'prod', namespace: 'backend', secretName: 'database-credentials' }],
    })
    const synced = await secretWhen('db-password', (x) => x.status.phase === 'Synced')
    assert.ok(BigInt(synced.resourceVersion) > BigInt(created.resourceVersion), 'a status change is a new resourceVersion')
    const [first, second] = synced.status.syncStatuses
    assert.deepEqual(Object.keys(first).sort(), ['cluster', 'lastSyncTime', 'message', 'namespace', 'phase', 'secretName', 'sourceVersion'])
    assert.deepEqual(
      { ...first, lastSyncTime: undefined },
      { cluster: 'prod', namespace: 'default', secretName: 'db-password', phase: 'Synced', message: '', lastSyncTime: undefined, sourceVersion: 1 },
    )
    assert.match(first.lastSyncTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    assert.equal(second.secretName, 'database-credentials')
    assert.equal(second.sourceVersion, 1)
    assert.deepEqual(
      [ready(synced).status, ready(synced).reason, ready(synced).message],
      ['True', 'Synced', '2 of 2 targets synced'],
    )

    const written = writesOf('db-password')
    assert.deepEqual(
      written.map((w) => [w.cluster, w.secret.namespace, w.secret.name]).sort(),
      [['prod', 'backend', 'database-credentials'], ['prod', 'default', 'db-password']],
    )
    for (const w of written) {
      assert.deepEqual(w.secret.data, { username: 'app', password: 's3cr3t' })
      assert.equal(w.secret.sourceVersion, 1)
    }
  })

  test('a vault write reaches every target within seconds; a quiet pass writes nothing', async () => {
    await putVault('shared/token', { token: 'one' })
    await createSecret({ name: 'token-a', secretPath: 'shared/token', sync: [{ cluster: 'prod', namespace: 'a' }] })
    await createSecret({ name: 'token-b', secretPath: 'shared/token', sync: [{ cluster: 'prod', namespace: 'b' }] })
    await secretWhen('token-a', (x) => x.status.phase === 'Synced')
    const before = await secretWhen('token-b', (x) => x.status.phase === 'Synced')

    // Nothing changed: another pass neither writes to the cluster nor touches the status.
    const count = writes.length
    await reconcileTenantSecrets(s.server.container, tenantId)
    await reconcileTenantSecrets(s.server.container, tenantId)
    assert.equal(writes.length, count)
    assert.equal((await getSecret('token-b')).resourceVersion, before.resourceVersion)

    const { version } = await putVault('shared/token', { token: 'two' })
    assert.equal(version, 2)
    for (const name of ['token-a', 'token-b']) {
      const after = await secretWhen(name, (x) => x.status.syncStatuses[0].sourceVersion === 2, `${name} at version 2`)
      assert.equal(after.status.phase, 'Synced')
      assert.deepEqual(writesOf(name).at(-1)?.secret.data, { token: 'two' })
      assert.equal(writesOf(name).at(-1)?.secret.sourceVersion, 2)
    }
  })

  test('a cluster that does not exist fails its target; others still sync (Degraded)', async () => {
    await putVault('mixed', { k: 'v' })
    await createSecret({
      name: 'mixed', secretPath: 'mixed',
      sync: [{ cluster: 'prod', namespace: 'default' }, { cluster: 'staging', namespace: 'default' }],
    })
    const degraded = await secretWhen('mixed', (x) => x.status.phase === 'Degraded')
    assert.equal(degraded.status.syncStatuses[0].phase, 'Synced')
    assert.deepEqual(degraded.status.syncStatuses[1], {
      cluster: 'staging', namespace: 'default', secretName: 'mixed', phase: 'Failed', message: 'Cluster "staging" not found',
    })
    assert.deepEqual([ready(degraded).status, ready(degraded).reason, ready(degraded).message], ['False', 'SyncFailed', '1 of 2 targets synced'])

    // The cluster appears: the failed target recovers without any change to the secret.
    await runningCluster('staging')
    const synced = await secretWhen('mixed', (x) => x.status.phase === 'Synced')
    assert.equal(synced.status.syncStatuses[1].sourceVersion, 1)
    assert.equal(ready(synced).status, 'True')
  })

  test('every target failed is Failed; a missing vault entry is named in the message', async () => {
    await createSecret({ name: 'early', secretPath: 'not/yet', sync: [{ cluster: 'prod', namespace: 'default' }] })
    const failed = await secretWhen('early', (x) => x.status.phase === 'Failed')
    assert.deepEqual(failed.status.syncStatuses, [
      { cluster: 'prod', namespace: 'default', secretName: 'early', phase: 'Failed', message: 'Vault entry "not/yet" not found' },
    ])
    assert.deepEqual([ready(failed).status, ready(failed).reason], ['False', 'SyncFailed'])
    assert.equal(writesOf('early').length, 0)

    await putVault('not/yet', { now: 'here' })
    const synced = await secretWhen('early', (x) => x.status.phase === 'Synced', 'synced after the vault write')
    assert.equal(synced.status.syncStatuses[0].sourceVersion, 1)
    assert.deepEqual(writesOf('early').at(-1)?.secret.data, { now: 'here' })
  })

  test('deleting the vault entry fails its targets; writing it again starts over at version 1', async () => {
    await putVault('cycle', { v: 'first' })
    await putVault('cycle', { v: 'second' })
    await createSecret({ name: 'cycle', secretPath: 'cycle', sync: [{ cluster: 'prod', namespace: 'default' }] })
    await secretWhen('cycle', (x) => x.status.syncStatuses[0].sourceVersion === 2)

    assert.equal((await s.request('DELETE', `${T}/vault/cycle`, { token: admin })).status, 204)
    const failed = await secretWhen('cycle', (x) => x.status.phase === 'Failed')
    const target = failed.status.syncStatuses[0]
    assert.equal(target.message, 'Vault entry "cycle" not found')
    assert.equal(target.sourceVersion, 2, 'the target still holds what was written last')
    assert.ok(target.lastSyncTime)

    // Version 1 again, with other data: the target is rewritten although a version number repeats.
    await putVault('cycle', { v: 'reborn' })
    const synced = await secretWhen('cycle', (x) => x.status.phase === 'Synced')
    assert.equal(synced.status.syncStatuses[0].sourceVersion, 1)
    assert.deepEqual(writesOf('cycle').at(-1)?.secret.data, { v: 'reborn' })
  })

  test('a refused write records the provider message and is retried', async () => {
    await putVault('refused', { k: 'v' })
    refusals.set('locked', 'Secret exists and is not managed by Kupe')
    await createSecret({ name: 'refused', secretPath: 'refused', sync: [{ cluster: 'prod', namespace: 'locked' }] })
    const failed = await secretWhen('refused', (x) => x.status.phase === 'Failed')
    assert.equal(failed.status.syncStatuses[0].message, 'Secret exists and is not managed by Kupe')
    // A pass that leaves a target Failed asks to look again within 60 s (spec §5.4).
    const next = await reconcileTenantSecrets(s.server.container, tenantId)
    assert.ok(next.after !== undefined && next.after <= 60_000, JSON.stringify(next))
    refusals.clear()
    await reconcileTenantSecrets(s.server.container, tenantId)
    const synced = await getSecret('refused')
    assert.deepEqual([synced.status.phase, synced.status.syncStatuses[0].message], ['Synced', ''])
  })

  test('a provider that throws is recorded as Failed without leaking anything', async () => {
    await putVault('throws', { password: 'thrown-canary-91b2' })
    throwOnWrite = true
    await createSecret({ name: 'throws', secretPath: 'throws', sync: [{ cluster: 'prod', namespace: 'default' }] })
    const failed = await secretWhen('throws', (x) => x.status.phase === 'Failed')
    assert.equal(failed.status.syncStatuses[0].message, 'Could not write the Secret; retrying')
    throwOnWrite = false
    await secretWhen('throws', (x) => x.status.phase === 'Synced')
    assert.ok(!s.logs.some((l) => l.includes('thrown-canary-91b2')))
  })

  test('patching targets drops removed statuses at once and syncs added ones', async () => {
    await putVault('moving', { k: 'v' })
    await createSecret({
      name: 'moving', secretPath: 'moving',
      sync: [{ cluster: 'prod', namespace: 'one' }, { cluster: 'prod', namespace: 'two' }],
    })
    const synced = await secretWhen('moving', (x) => x.status.phase === 'Synced')
    const kept = synced.status.syncStatuses[1]

    const r = await s.request('PATCH', `${T}/secrets/moving`, {
      token: admin,
      body: { sync: [{ cluster: 'prod', namespace: 'two' }, { cluster: 'prod', namespace: 'three' }] },
    })
    assert.equal(r.status, 200)
    assert.deepEqual(r.body.status.syncStatuses.map((t: any) => t.namespace), ['two', 'three'])
    assert.deepEqual(r.body.status.syncStatuses[0], kept, 'a target that stays keeps its status')
    assert.deepEqual(r.body.status.syncStatuses[1], { cluster: 'prod', namespace: 'three', secretName: 'moving', phase: 'Pending', message: '' })
    assert.equal(r.body.status.phase, 'Pending')

    const after = await secretWhen('moving', (x) => x.status.phase === 'Synced')
    assert.deepEqual(after.status.syncStatuses.map((t: any) => [t.namespace, t.phase]), [['two', 'Synced'], ['three', 'Synced']])
    assert.ok(writesOf('moving').some((w) => w.secret.namespace === 'three'))

    const emptied = await s.request('PATCH', `${T}/secrets/moving`, { token: admin, body: { sync: [] } })
    assert.deepEqual([emptied.body.status.phase, emptied.body.status.syncStatuses], ['Synced', []])
    assert.equal(ready(emptied.body).status, 'True')
  })

  test('a secret without targets is Synced', async () => {
    await createSecret({ name: 'idle', secretPath: 'nowhere' })
    const idle = await secretWhen('idle', (x) => x.status.phase === 'Synced')
    assert.deepEqual(idle.status.syncStatuses, [])
    assert.deepEqual([ready(idle).status, ready(idle).reason], ['True', 'Synced'])
  })

  test('a deleted secret is no longer synced', async () => {
    await putVault('stopped', { k: 'v1' })
    await createSecret({ name: 'stopped', secretPath: 'stopped', sync: [{ cluster: 'prod', namespace: 'default' }] })
    await secretWhen('stopped', (x) => x.status.phase === 'Synced')
    assert.equal((await s.request('DELETE', `${T}/secrets/stopped`, { token: admin })).status, 204)
    await putVault('stopped', { k: 'v2' })
    await reconcileTenantSecrets(s.server.container, tenantId)
    assert.ok(writesOf('stopped').every((w) => w.secret.data.k === 'v1'))
  })

  test('a Kubernetes Secret belongs to the first managed secret that wrote it, even after that one is deleted', async () => {
    await putVault('shared', { k: 'v' })
    await createSecret({ name: 'owner-a', secretPath: 'shared', sync: [{ cluster: 'prod', namespace: 'apps', secretName: 'shared' }] })
    await secretWhen('owner-a', (x) => x.status.phase === 'Synced')
    await createSecret({
      name: 'owner-b', secretPath: 'shared',
      sync: [{ cluster: 'prod', namespace: 'apps', secretName: 'shared' }, { cluster: 'prod', namespace: 'apps', secretName: 'own' }],
    })
    const degraded = await secretWhen('owner-b', (x) => x.status.phase === 'Degraded')
    assert.deepEqual(degraded.status.syncStatuses.map((t: { phase: string; message: string }) => [t.phase, t.message]),
      [['Failed', 'Secret is managed by "owner-a"'], ['Synced', '']])
    // Deleting a definition leaves its Kubernetes Secrets in place (§5.4), still labelled as its.
    assert.equal((await s.request('DELETE', `${T}/secrets/owner-a`, { token: admin })).status, 204)
    await reconcileTenantSecrets(s.server.container, tenantId)
    assert.equal((await getSecret('owner-b')).status.syncStatuses[0].message, 'Secret is managed by "owner-a"')
    // The same name again is the same owner.
    await createSecret({ name: 'owner-a', secretPath: 'shared', sync: [{ cluster: 'prod', namespace: 'apps', secretName: 'shared' }] })
    await secretWhen('owner-a', (x) => x.status.phase === 'Synced')
  })
})

describe('secret sync and cluster phases', () => {
  let s: TestServer
  let admin: string

  before(async () => {
    // Provisioning and deletion steps that outlast the test, so those phases can be observed.
    s = await startTestServer({ overrides: { simulatedStepSeconds: '600' } })
    admin = (await s.createTenant('acme')).key
  })
  after(() => s.stop())

  test('Pending while the cluster provisions; failed and deleting clusters fail the target', async () => {
    const token = admin
    assert.equal((await s.request('PUT', `${T}/vault/phases`, { token, body: { data: { k: 'v' } } })).status, 200)
    for (const name of ['coming', 'going']) {
      assert.equal((await s.request('POST', `${T}/clusters`, { token, body: { name } })).status, 201)
    }
    assert.equal((await s.request('DELETE', `${T}/clusters/going`, { token })).status, 204)
    // No API makes a cluster fail, so this one is written as the cluster controller leaves a
    // cluster whose provisioning failed for good (terminal for its generation).
    await insertCluster(s.server.container.db, {
      id: randomUUID(), tenant_id: await tenantIdOf(s, 'acme'), name: 'broken', display_name: 'broken', type: 'shared',
      version: '1.32', high_availability: false, resources: '{}', alerts: null, generation: 1, resource_version: '1',
      created_at: new Date(), deletion_requested_at: null, controller_state: JSON.stringify({ failedGeneration: 1 }), provider_state: '{}',
      status: JSON.stringify({ phase: 'Failed', observedGeneration: 0, conditions: [] }),
    })

    const r = await s.request('POST', `${T}/secrets`, {
      token,
      body: {
        name: 'phases', secretPath: 'phases',
        sync: [{ cluster: 'coming', namespace: 'n' }, { cluster: 'broken', namespace: 'n' }, { cluster: 'going', namespace: 'n' }],
      },
    })
    assert.equal(r.status, 201)
    const seen = await eventually(async () => {
      const x = (await s.request('GET', `${T}/secrets/phases`, { token })).body
      return x.status.phase !== 'Pending' ? x : undefined
    }, 10_000, 'phases settled')
    assert.deepEqual(
      seen.status.syncStatuses.map((t: any) => [t.cluster, t.phase, t.message]),
      [['coming', 'Pending', ''], ['broken', 'Failed', 'Cluster "broken" failed'], ['going', 'Failed', 'Cluster "going" not found']],
    )
    assert.equal(seen.status.phase, 'Degraded', 'some targets failed, not all')
    const clusters = (await s.request('GET', `${T}/clusters`, { token })).body.items.map((c: any) => [c.name, c.status.phase])
    assert.deepEqual(clusters, [['broken', 'Failed'], ['coming', 'Provisioning'], ['going', 'Deleting']], 'the phases this test is about')
  })
})

async function tenantIdOf(s: TestServer, name: string): Promise<string> {
  const t = await s.server.container.db.selectFrom('tenants').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return t.id
}
