import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Migrator, sql, type Kysely } from 'kysely'
import { reconcileCluster } from '../src/controllers/cluster-controller.js'
import { openClusterCa } from '../src/domain/clusters/cluster-ca.js'
import { ManualClock } from '../src/lib/clock.js'
import { findCluster } from '../src/store/clusters.js'
import { openDatabase } from '../src/store/connect.js'
import { migrationProvider } from '../src/store/migrations/index.js'
import { eventually } from './helpers/eventually.js'
import { httpsGet } from './helpers/kube-process.js'
import { createRunningCluster, killProcessesOnSignal, requireKubeBinaries, waitForPhase } from './helpers/local-clusters.js'
import { startTestServer, type TestServer, type TestServerOptions } from './helpers/server.js'

// Migration 0008 moves the cluster controller's keys (CA, running version, failed generations)
// out of provider_state into controller_state. A server upgraded in place must keep its
// clusters. The pre-0008 layout is made by migrating a stopped server's store back down (0008's
// `down` merges the keys back as the old controller kept them); a new server then starts on it
// and migrates up, as an upgraded server would.

const T = '/api/v1/tenants/acme/clusters'
const CONTROLLER_KEYS = ['caPem', 'caKey', 'runningVersion', 'failedGeneration', 'upgradeFailedGeneration']
type OldRow = { name: string; provider_state: Record<string, unknown> }

/** Takes a stopped server's store back to 0007, lets `edit` change it there, and returns its cluster rows. */
async function downgrade(s: TestServer, edit?: (db: Kysely<any>) => Promise<void>): Promise<Map<string, Record<string, unknown>>> {
  const database = await openDatabase({ url: s.databaseUrl, dataDir: s.dataDir })
  try {
    const db = database.db as unknown as Kysely<any>
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0007_create_simulated_secrets')
    if (error) throw error
    const columns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'clusters'`.execute(db)
    assert.ok(!columns.rows.some((c) => c.column_name === 'controller_state'), 'the old layout has no controller_state')
    await edit?.(db)
    const rows: OldRow[] = await db.selectFrom('clusters').select(['name', 'provider_state']).execute()
    return new Map(rows.map((r) => [r.name, r.provider_state]))
  } finally {
    await database.close()
  }
}

const restart = (first: TestServer, opts: TestServerOptions = {}) =>
  startTestServer({ ...opts, reuse: { dataDir: first.dataDir, adminToken: first.adminToken, databaseUrl: first.databaseUrl } })

async function clusterRow(s: TestServer, name: string) {
  const db = s.server.container.db
  const tenant = await db.selectFrom('tenants').select('id').where('name', '=', 'acme').executeTakeFirstOrThrow()
  return (await findCluster(db, tenant.id, name))!
}

const connection = async (s: TestServer, key: string, name: string) =>
  (await s.request('GET', `${T}/${name}/kubeconfig`, { token: key })).body as { endpoint: string; certificateAuthority: string }

describe('migration 0008: a server upgraded in place keeps its clusters', () => {
  test('simulated: a Running, a Provisioning and a Failed cluster carry on where they were', async () => {
    const step = { simulatedStepSeconds: '3' }
    const first = await startTestServer({ persistent: true, overrides: step })
    let second: TestServer | undefined
    let ticking: NodeJS.Timeout | undefined
    try {
      const { key } = await first.createTenant('acme')
      for (const name of ['web', 'broken']) assert.equal((await first.request('POST', T, { token: key, body: { name } })).status, 201)
      for (const name of ['web', 'broken']) await waitForPhase(first, 'acme', key, name, 'Running', 20_000)
      const before = await connection(first, key, 'web')
      // "slow" is stopped in the middle of its provisioning step.
      assert.equal((await first.request('POST', T, { token: key, body: { name: 'slow' } })).status, 201)
      await eventually(async () => ((await clusterRow(first, 'slow')).provider_state.provisionStartedAt ? true : undefined), 10_000, 'slow to start its step')
      await first.server.stop()

      const old = await downgrade(first, async (db) => {
        // As the old controller left a cluster whose provisioning failed for good at generation 1.
        await sql`UPDATE clusters SET provider_state = (provider_state - 'runningVersion') || '{"failedGeneration": 1}'::jsonb,
          status = jsonb_set(status, '{phase}', '"Failed"') WHERE name = 'broken'`.execute(db)
      })
      assert.deepEqual(Object.keys(old.get('web')!).sort(), ['caKey', 'caPem', 'runningVersion'], 'the old layout, as the old controller wrote it')
      assert.deepEqual(Object.keys(old.get('slow')!).sort(), ['caKey', 'caPem', 'provisionStartedAt'])

      // The new server's clock stands a second into the step "slow" started, so the step cannot
      // end before its state is checked, however long the restart takes on a loaded machine, and a
      // step begun anew would carry another start time.
      const slowStarted = String(old.get('slow')!.provisionStartedAt)
      const clock = new ManualClock(new Date(Date.parse(slowStarted) + 1000))
      second = await restart(first, { overrides: step, clock })
      const web = await clusterRow(second, 'web')
      assert.deepEqual(Object.keys(web.controller_state).sort(), ['ca', 'runningVersion'])
      assert.equal(web.controller_state.runningVersion, web.version)
      assert.deepEqual(web.provider_state, {}, 'nothing of the controller is left in the provider state')
      const ca = openClusterCa(second.server.container.keys, web.id, web.controller_state.ca!)
      assert.equal(ca.certPem, Buffer.from(before.certificateAuthority, 'base64').toString(), 'the same CA; its key still opens')
      assert.deepEqual(await connection(second, key, 'web'), before, 'the same endpoint and CA through the API')

      const slow = await clusterRow(second, 'slow')
      assert.deepEqual(slow.provider_state, { provisionStartedAt: slowStarted }, 'the provider keeps its step')
      assert.ok(slow.controller_state.ca && !slow.controller_state.runningVersion)
      ticking = setInterval(() => clock.advance(1000), 200)
      await waitForPhase(second, 'acme', key, 'slow', 'Running', 20_000)

      const broken = await clusterRow(second, 'broken')
      assert.equal(broken.controller_state.failedGeneration, 1)
      assert.ok(!CONTROLLER_KEYS.some((k) => k in broken.provider_state))
      // Terminal for its generation: a pass of the controller changes nothing; a spec change retries.
      await reconcileCluster(second.server.container, broken.id)
      const after = await clusterRow(second, 'broken')
      assert.deepEqual([after.status.phase, after.resource_version], ['Failed', broken.resource_version])
      assert.equal((await second.request('PATCH', `${T}/broken`, { token: key, body: { alerts: { retry: true } } })).status, 200)
      await waitForPhase(second, 'acme', key, 'broken', 'Running', 20_000)
      assert.equal((await clusterRow(second, 'web')).status.phase, 'Running')
    } finally {
      clearInterval(ticking)
      if (second) await second.stop()
      else await first.stop()
    }
  })

  test('local: the real API server starts again from the migrated state, same endpoint, same CA', async () => {
    requireKubeBinaries()
    let current: TestServer | undefined
    killProcessesOnSignal(() => current)
    const first = await startTestServer({ persistent: true, overrides: { provider: 'local' } })
    current = first
    try {
      const { key } = await first.createTenant('acme')
      const web = await createRunningCluster(first, 'acme', key, 'web')
      const serves = async () => (await httpsGet(`${web.endpoint}/api/v1/namespaces/default`, { ca: web.caPem, token: key })).status === 200
      assert.ok(await serves())
      await first.server.stop()

      const old = (await downgrade(first)).get('web')!
      for (const k of ['caPem', 'caKey', 'runningVersion', 'port', 'servingCertPem', 'adminKey']) assert.ok(k in old, `old layout has ${k}`)

      current = await restart(first, { overrides: { provider: 'local' } })
      const row = await clusterRow(current, 'web')
      assert.deepEqual(Object.keys(row.controller_state).sort(), ['ca', 'runningVersion'])
      assert.ok(!CONTROLLER_KEYS.some((k) => k in row.provider_state), 'only the provider\'s keys are left')
      // The restarted server's health check starts the API server from the migrated state: its
      // serving certificate still chains to the CA the API handed out, on the same endpoint.
      await eventually(async () => ((await serves()) ? true : undefined), 90_000, 'the API server to serve again')
      const after = await connection(current, key, 'web')
      assert.deepEqual([after.endpoint, Buffer.from(after.certificateAuthority, 'base64').toString()], [web.endpoint, web.caPem])
      await waitForPhase(current, 'acme', key, 'web', 'Running', 60_000)
    } finally {
      await current.stop()
    }
  })
})
