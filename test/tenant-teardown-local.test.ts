// test engines: one — its subject is processes and etcd prefixes of local clusters; tenant deletion on both engines is test/tenant-deletion.test.ts (decision 0031).
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { etcdPrefixOf } from '../src/providers/local/apiserver.js'
import { eventually } from './helpers/eventually.js'
import { clusterIdOf, createRunningCluster, killProcessesOnSignal, kubectl, localProviderOf, requireKubeBinaries, scratchDir } from './helpers/local-clusters.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Issue #12 item 4, must show: deleting a tenant with the `local` provider leaves no
// kube-apiserver (or kube-controller-manager) process, no etcd prefix and no files of its
// clusters behind (a highly available one included). Real binaries from ~/.cache/kupe/k8s, the request as the Kupe CLI sends it.

/** Every process on this machine whose command line mentions `needle` (its cluster's etcd prefix or directory). */
function processesMentioning(needle: string): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (stat.includes(') Z ')) continue
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
      if (cmd.includes(needle)) found.push(`${pid}: ${cmd.slice(0, 120)}`)
    } catch {
      // The process ended while the list was read.
    }
  }
  return found
}

describe('tenant deletion with the local provider', () => {
  let s: TestServer
  let scratch: ReturnType<typeof scratchDir>
  let key: string
  const clusters = new Map<string, { id: string; endpoint: string; caPem: string }>()

  before(async () => {
    requireKubeBinaries()
    killProcessesOnSignal(() => s)
    scratch = scratchDir()
    s = await startTestServer({ overrides: { provider: 'local' } })
    key = (await s.createTenant('doomed')).key
    // beta is highly available: three kube-apiservers on its etcd prefix, all of which must go.
    const ha = await s.request('POST', '/api/v1/tenants/doomed/clusters', { token: key, body: { name: 'beta', highAvailability: true } })
    assert.equal(ha.status, 201, ha.text)
    const alpha = await createRunningCluster(s, 'doomed', key, 'alpha')
    await eventually(async () => {
      const r = await s.request('GET', '/api/v1/tenants/doomed/clusters/beta', { token: key })
      return r.body.status.phase === 'Running' && r.body.status.haReplicasReady === 3 ? true : undefined
    }, 180_000, 'beta Running with 3/3 replicas')
    clusters.set('alpha', { id: await clusterIdOf(s, 'alpha'), ...alpha })
    clusters.set('beta', { id: await clusterIdOf(s, 'beta'), endpoint: '', caPem: '' })
  })
  after(async () => {
    await s?.stop()
    scratch?.dispose()
  })

  test('DELETE /tenants/{t} with cascade stops every API server, empties every etcd prefix, removes the files, then the tenant', async () => {
    const provider = localProviderOf(s)
    const etcd = provider.sharedEtcd
    const alpha = clusters.get('alpha')!
    const made = await kubectl(scratch.dir, ['--server', alpha.endpoint, '--certificate-authority', scratch.file('alpha.crt', alpha.caPem), '--token', key, 'create', 'namespace', 'data'])
    assert.equal(made.code, 0, made.stderr)
    const before = [...clusters.values()].map((c) => ({ ...c, pids: provider.pids(c.id), dir: provider.clusterDir(c.id) }))
    for (const c of before) {
      assert.ok(c.pids.apiserver && c.pids.controllerManager, 'both processes run')
      assert.ok((await etcd.countPrefix(`${etcdPrefixOf(c.id)}/`)) > 0, 'the cluster has data in etcd')
      assert.ok(processesMentioning(etcdPrefixOf(c.id)).length > 0, 'its kube-apiserver is found by its etcd prefix')
      assert.ok(existsSync(c.dir))
    }
    assert.equal(processesMentioning(etcdPrefixOf(clusters.get('beta')!.id)).length, 3, 'the HA cluster runs three kube-apiservers')

    const r = await s.request('DELETE', '/api/v1/tenants/doomed', {
      token: key, headers: { accept: 'application/json', 'content-type': 'application/json' }, rawBody: JSON.stringify({ confirm: 'doomed', cascade: true }),
    })
    assert.deepEqual([r.status, r.body.status?.phase], [202, 'Deleting'], r.text)
    await eventually(async () => ((await s.request('GET', '/api/v1/tenants/doomed', { token: key })).status === 404 ? true : undefined), 60_000, 'tenant doomed gone')

    for (const c of before) {
      assert.deepEqual(processesMentioning(etcdPrefixOf(c.id)), [], 'no kube-apiserver of the cluster is left')
      assert.deepEqual(processesMentioning(c.dir), [], 'no process of the cluster is left')
      assert.equal(await etcd.countPrefix(`${etcdPrefixOf(c.id)}/`), 0, 'no key under its etcd prefix')
      assert.equal(existsSync(c.dir), false, 'its files are gone')
    }
    assert.equal(await etcd.countPrefix('/kupe/'), 0, 'nothing of any tenant cluster is left in the shared etcd')
    const connect = await kubectl(scratch.dir, ['--server', alpha.endpoint, '--certificate-authority', scratch.file('alpha.crt', alpha.caPem), '--token', key, 'get', 'namespaces'])
    assert.notEqual(connect.code, 0, 'the endpoint no longer answers')
    const rows = await s.server.container.db.selectFrom('clusters').select('id').execute()
    assert.deepEqual(rows, [])
  })
})
