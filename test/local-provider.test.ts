import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { loadConfig } from '../src/config.js'
import { getWithAccess } from '../src/kube/cluster-client.js'
import { findKubeReleases } from '../src/providers/local/binaries.js'
import { etcdPrefixOf } from '../src/providers/local/apiserver.js'
import { startServer } from '../src/main.js'
import { clusterIdOf, createRunningCluster, kubectl, localProviderOf, killProcessesOnSignal, requireKubeBinaries, scratchDir, waitForPhase } from './helpers/local-clusters.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// The `local` provider's lifecycle against real processes (issue #3): supervision (a killed API
// server makes the cluster Degraded, then Running again), a Kupe server restart, upgrades that
// swap the binary, and DELETE removing process, etcd prefix and files.

const T = '/api/v1/tenants/acme'
const alive = (pid: number | undefined) => pid !== undefined && existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')

/**
 * A Kubernetes cache with two releases: the real one, and an older minor whose binaries are the
 * same files (only one release is built here) — enough to watch the provider swap binaries.
 */
function twoReleaseCache(): { dir: string; older: string; newer: string } {
  const real = findKubeReleases(loadConfig({}, process.env).k8sDir).at(-1)!
  const realDir = join(real.apiserver, '..')
  const dir = mkdtempSync(join(tmpdir(), 'kupe-k8s-cache-'))
  const [major, minor] = real.minor.split('.').map(Number) as [number, number]
  const older = `v${major}.${minor - 1}.9`
  mkdirSync(join(dir, older))
  for (const b of ['kube-apiserver', 'kupe-apiserver', 'kube-controller-manager', 'etcd']) {
    if (existsSync(join(realDir, b))) symlinkSync(join(realDir, b), join(dir, older, b))
  }
  writeFileSync(join(dir, older, 'manifest.json'), JSON.stringify({ kubernetes: older }))
  symlinkSync(realDir, join(dir, real.version))
  return { dir, older: `${major}.${minor - 1}`, newer: real.minor }
}

describe('local provider: processes, restarts, upgrades and deletion', () => {
  let s: TestServer
  let admin: string
  let cache: ReturnType<typeof twoReleaseCache>
  let scratch: ReturnType<typeof scratchDir>
  const endpoints = new Map<string, { endpoint: string; caPem: string }>()
  const kubectlAs = (cluster: string, ...args: string[]) => {
    const c = endpoints.get(cluster)!
    return kubectl(scratch.dir, ['--server', c.endpoint, '--certificate-authority', scratch.file(`${cluster}.crt`, c.caPem), '--token', admin, ...args])
  }
  const provider = () => localProviderOf(s)

  before(async () => {
    requireKubeBinaries()
    killProcessesOnSignal(() => s)
    cache = twoReleaseCache()
    scratch = scratchDir()
    s = await startTestServer({ persistent: true, overrides: { provider: 'local', k8sDir: cache.dir } })
    admin = (await s.createTenant('acme')).key
    const olderCreated = await s.request('POST', `${T}/clusters`, { token: admin, body: { name: 'beta', version: cache.older } })
    assert.equal(olderCreated.status, 201, olderCreated.text)
    const [alpha] = await Promise.all([createRunningCluster(s, 'acme', admin, 'alpha'), waitForPhase(s, 'acme', admin, 'beta', 'Running')])
    endpoints.set('alpha', alpha)
    const beta = await s.request('GET', `${T}/clusters/beta/kubeconfig`, { token: admin })
    endpoints.set('beta', { endpoint: beta.body.endpoint, caPem: Buffer.from(beta.body.certificateAuthority, 'base64').toString() })
  })
  after(async () => {
    await s?.stop()
    rmSync(cache.dir, { recursive: true, force: true })
    scratch?.dispose()
  })

  test('versions offered are the releases built; the newest is the default', async () => {
    const alpha = await s.request('GET', `${T}/clusters/alpha`, { token: admin })
    assert.equal(alpha.body.version, cache.newer)
    assert.match(alpha.body.status.kubernetesVersion, /^v\d+\.\d+\.\d+$/)
    const r = await s.request('POST', `${T}/clusters`, { token: admin, body: { name: 'ancient', version: '1.20' } })
    assert.equal(r.status, 400)
    assert.equal(r.body.code, 'CLUSTER_VERSION_UNSUPPORTED')
    assert.match(r.body.error, new RegExp(`${cache.older.replace('.', '\\.')}, ${cache.newer.replace('.', '\\.')}`))
  })

  test('a killed API server makes the cluster Degraded, and it is Running again without help', async () => {
    const id = await clusterIdOf(s, 'alpha')
    const pid = provider().pids(id).apiserver
    assert.ok(alive(pid))
    process.kill(pid!, 'SIGKILL')
    const degraded = await waitForPhase(s, 'acme', admin, 'alpha', 'Degraded', 15_000)
    const ready = degraded.status.conditions.find((c: any) => c.type === 'Ready')
    assert.equal(ready.reason, 'HealthCheckFailed')
    assert.match(ready.message, /API server is not ready/)
    await waitForPhase(s, 'acme', admin, 'alpha', 'Running', 60_000)
    const again = provider().pids(id).apiserver
    assert.ok(alive(again) && again !== pid, 'a new process serves the cluster')
    const r = await kubectlAs('alpha', 'create', 'namespace', 'survivor')
    assert.equal(r.code, 0, r.stderr)
  })

  test('a killed controller manager is restarted', async () => {
    const id = await clusterIdOf(s, 'alpha')
    const pid = provider().pids(id).controllerManager
    assert.ok(alive(pid))
    process.kill(pid!, 'SIGKILL')
    const again = await eventually(async () => {
      const p = provider().pids(id).controllerManager
      return p !== undefined && p !== pid && alive(p) ? p : undefined
    }, 15_000, 'a new kube-controller-manager')
    assert.ok(cmdline(again).some((a) => a.startsWith('--controllers=')))
  })

  test('kupe cluster update --enable-ha: two more kube-apiservers start on the same etcd prefix, the endpoint stays, status counts them', async () => {
    const id = await clusterIdOf(s, 'alpha')
    const primary = provider().pids(id).apiserver
    // The Kupe CLI's requests: PATCH {"highAvailability": true} with the ETag of its pre-flight
    // GET; on 412 (the controller wrote status meanwhile) GET and PATCH again, twice at most.
    let r = await s.request('PATCH', `${T}/clusters/alpha`, { token: admin, body: { highAvailability: true }, headers: { 'if-match': '"0"' } })
    for (let attempt = 0; attempt < 3 && r.status === 412; attempt++) {
      const { headers } = await s.request('GET', `${T}/clusters/alpha`, { token: admin })
      r = await s.request('PATCH', `${T}/clusters/alpha`, { token: admin, body: { highAvailability: true }, headers: { 'if-match': headers.get('etag')!, 'user-agent': 'kupe-cli/1.4.0' } })
    }
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.status.phase, 'Migrating')
    const migrated = await eventually(async () => {
      const g = await s.request('GET', `${T}/clusters/alpha`, { token: admin })
      return g.body.status.phase === 'Running' && g.body.status.observedGeneration === r.body.generation ? g.body : undefined
    }, 90_000, 'alpha migrated')
    assert.deepEqual([migrated.status.haPhase, migrated.status.haConfigured, migrated.status.haReplicasReady, migrated.status.haReplicasDesired], ['ha-healthy', true, 3, 3])
    assert.equal(migrated.status.endpoint, endpoints.get('alpha')!.endpoint)
    const pids = provider().pids(id)
    assert.equal(pids.apiserver, primary, 'the serving API server was not restarted')
    assert.equal(pids.replicas.length, 2)
    const ports = new Set<string>()
    for (const pid of pids.replicas) {
      assert.ok(alive(pid))
      const args = cmdline(pid!)
      assert.ok(args.includes(`--etcd-prefix=${etcdPrefixOf(id)}`))
      ports.add(args.find((a) => a.startsWith('--secure-port='))!.slice('--secure-port='.length))
    }
    ports.add(new URL(endpoints.get('alpha')!.endpoint).port)
    assert.equal(ports.size, 3, 'three API servers on three ports')
    // Every replica serves the cluster's data, with the same CA and the same tenant key.
    for (const port of ports) {
      const got = await kubectlAs('alpha', '--server', `https://127.0.0.1:${port}`, 'get', 'namespace', 'survivor', '-o', 'name')
      assert.equal(got.stdout.trim(), 'namespace/survivor', got.stderr)
    }
    // A replica killed: 2/3 (the API still serves, so the cluster stays Running), then 3/3 again.
    process.kill(pids.replicas[0]!, 'SIGKILL')
    const degraded = await eventually(async () => {
      const g = await s.request('GET', `${T}/clusters/alpha`, { token: admin })
      return g.body.status.haPhase === 'ha-degraded' ? g.body : undefined
    }, 30_000, 'alpha ha-degraded')
    assert.deepEqual([degraded.status.phase, degraded.status.haReplicasReady], ['Running', 2])
    await eventually(async () => {
      const g = await s.request('GET', `${T}/clusters/alpha`, { token: admin })
      return g.body.status.haPhase === 'ha-healthy' && g.body.status.haReplicasReady === 3 ? true : undefined
    }, 60_000, 'alpha ha-healthy again')
    assert.ok(alive(provider().pids(id).replicas[0]) && provider().pids(id).replicas[0] !== pids.replicas[0])
  })

  test('an upgrade to the next minor swaps the binary and keeps the data', async () => {
    assert.equal((await kubectlAs('beta', 'create', 'namespace', 'before-upgrade')).code, 0)
    const id = await clusterIdOf(s, 'beta')
    const oldPid = provider().pids(id).apiserver!
    assert.ok(cmdline(oldPid)[0]!.includes(`/v${cache.older}.9/`), cmdline(oldPid)[0])
    const r = await s.request('PATCH', `${T}/clusters/beta`, { token: admin, body: { version: cache.newer } })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.body.status.phase, 'Upgrading')
    const running = await waitForPhase(s, 'acme', admin, 'beta', 'Running', 90_000)
    assert.equal(running.version, cache.newer)
    assert.equal(running.status.observedGeneration, running.generation)
    const newPid = provider().pids(id).apiserver!
    assert.notEqual(newPid, oldPid)
    assert.ok(!cmdline(newPid)[0]!.includes(`/v${cache.older}.9/`), cmdline(newPid)[0])
    const got = await kubectlAs('beta', 'get', 'namespace', 'before-upgrade', '-o', 'name')
    assert.equal(got.stdout.trim(), 'namespace/before-upgrade')
  })

  test('after a Kupe server restart every cluster runs again, at the same endpoint, with its data', async () => {
    const { dataDir, adminToken, databaseUrl } = s
    const ids = [await clusterIdOf(s, 'alpha'), await clusterIdOf(s, 'beta')]
    const pids = ids.map((id) => provider().pids(id))
    await s.server.stop()
    for (const p of pids) assert.ok(!alive(p.apiserver) && !alive(p.controllerManager), 'stopping the server stops its processes')
    const alpha = endpoints.get('alpha')!
    await assert.rejects(getWithAccess({ server: alpha.endpoint, caPem: alpha.caPem, certPem: '', keyPem: '' }, '/readyz'), /ECONNREFUSED/)

    s = await startTestServer({ reuse: { dataDir, adminToken, databaseUrl }, overrides: { provider: 'local', k8sDir: cache.dir } })
    // Nobody asks for it: the controllers' first look after the start brings every cluster back.
    const got = await eventually(async () => {
      const r = await kubectlAs('alpha', 'get', 'namespace', 'survivor', '-o', 'name')
      return r.code === 0 ? r : undefined
    }, 90_000, 'alpha to serve again')
    assert.equal(got.stdout.trim(), 'namespace/survivor')
    for (const name of ['alpha', 'beta']) await waitForPhase(s, 'acme', admin, name, 'Running', 90_000)
    for (const id of ids) assert.ok(alive(provider().pids(id).apiserver))
    await eventually(async () => (provider().pids(ids[0]!).replicas.every(alive) ? true : undefined), 60_000, 'alpha\'s replicas to run again')
    const conn = await s.request('GET', `${T}/clusters/alpha/kubeconfig`, { token: admin })
    assert.equal(conn.body.endpoint, alpha.endpoint)
  })

  test('DELETE stops the processes, removes the etcd prefix and the files, then the row', async () => {
    const [alphaId, betaId] = [await clusterIdOf(s, 'alpha'), await clusterIdOf(s, 'beta')]
    const etcd = provider().sharedEtcd
    const pids = provider().pids(alphaId)
    const dir = provider().clusterDir(alphaId)
    assert.ok((await etcd.countPrefix(`${etcdPrefixOf(alphaId)}/`)) > 0)
    assert.ok(existsSync(join(dir, 'serving.key')))
    const r = await s.request('DELETE', `${T}/clusters/alpha`, { token: admin })
    assert.equal(r.status, 204)
    await eventually(async () => ((await s.request('GET', `${T}/clusters/alpha`, { token: admin })).status === 404 ? true : undefined), 30_000, 'alpha to be gone')
    assert.ok(!alive(pids.apiserver) && !alive(pids.controllerManager))
    assert.equal(pids.replicas.length, 2)
    assert.ok(pids.replicas.every((p) => !alive(p)), 'the HA replicas are stopped too')
    assert.equal(await etcd.countPrefix(`${etcdPrefixOf(alphaId)}/`), 0)
    assert.equal(existsSync(dir), false)
    assert.ok((await etcd.countPrefix(`${etcdPrefixOf(betaId)}/`)) > 0, 'the other cluster keeps its data')
    assert.ok(alive(provider().pids(betaId).apiserver))
  })
})

describe('provider selection', () => {
  test('auto picks local when binaries are built and simulated when not; local without binaries refuses to start', async () => {
    requireKubeBinaries()
    const empty = mkdtempSync(join(tmpdir(), 'kupe-no-k8s-'))
    try {
      const withBinaries = await startTestServer({ overrides: { provider: 'auto' } })
      const chosen = withBinaries.server.container.provider.name
      const logged = withBinaries.logs.find((l) => l.includes('cluster provider selected'))
      await withBinaries.stop()
      assert.equal(chosen, 'local')
      assert.match(logged ?? '', /"reason":"auto: Kubernetes v\d+\.\d+\.\d+ built in /)

      const without = await startTestServer({ overrides: { provider: 'auto', k8sDir: empty } })
      const fallback = without.server.container.provider.name
      await without.stop()
      assert.equal(fallback, 'simulated')

      await assert.rejects(
        startServer(loadConfig({ provider: 'local', k8sDir: empty, listen: '127.0.0.1:0', dataDir: empty, adminToken: 'kupeadm_test', masterKey: 'a'.repeat(44) }, {}), { memoryDb: true }),
        /the local provider needs Kubernetes binaries and .* has none: run `npm run k8s:build`/,
      )
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
