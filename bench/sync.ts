// `npm run bench:sync`: seconds from a vault write (`PUT …/vault/{path}` sent) until all 100
// sync targets of one managed secret — 10 namespaces in each of 10 local tenant clusters — hold
// the new version, p50/p95 over BENCH_WRITES writes (default 20), observed through one watch per
// cluster. Baseline, measured in the same run on the same clusters: the bench itself reading and
// updating the same 100 Secrets directly with the Kubernetes client as the tenant (API key), 8 at
// a time like Kupe's controller — the work without Kupe's vault, database and status writes.
import { CoreV1Api, KubeConfig, Watch, type V1Secret } from '@kubernetes/client-node'
import { mapConcurrently } from '../src/lib/concurrency.js'
import { percentile, requireBinaries, seconds, startLocalKupe } from './k8s-bench-support.js'
import { eventually } from '../test/helpers/eventually.js'

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 10)
const NAMESPACES = 10
const WRITES = Number(process.env.BENCH_WRITES ?? 20)
const T = '/api/v1/tenants/bench'

function kubeConfig(endpoint: string, caB64: string, token: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: endpoint, caData: caB64, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  })
  return kc
}

const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`)

/**
 * What every target holds, kept current by one watch per cluster (so observing costs the
 * clusters and Kupe nothing between events), and when each version was last seen arriving.
 */
class TargetWatch {
  private readonly held = new Map<string, string>()
  private readonly aborts: AbortController[] = []
  private waiter: { version: string; resolve: (at: number) => void } | undefined

  async start(configs: KubeConfig[]): Promise<void> {
    for (const [i, kc] of configs.entries()) {
      this.aborts.push(await new Watch(kc).watch('/api/v1/secrets', { labelSelector: 'kupe.cloud/secret=bench' }, (type: string, obj: V1Secret) => {
        const key = `${i}/${obj.metadata?.namespace}`
        if (type === 'DELETED') this.held.delete(key)
        else this.held.set(key, obj.metadata?.annotations?.['kupe.cloud/source-version'] ?? '')
        this.check()
      }, () => undefined))
    }
  }

  /** Resolves with the instant every target holds `version`. */
  allAt(version: number): Promise<number> {
    return new Promise((resolve) => {
      this.waiter = { version: String(version), resolve }
      this.check()
    })
  }

  private check(): void {
    const w = this.waiter
    if (!w) return
    let n = 0
    for (const v of this.held.values()) if (v === w.version) n++
    if (n === CLUSTERS * NAMESPACES) {
      this.waiter = undefined
      w.resolve(performance.now())
    }
  }

  stop(): void {
    for (const a of this.aborts) a.abort()
  }
}

async function main(): Promise<void> {
  requireBinaries()
  const kupe = await startLocalKupe()
  try {
    const key = await kupe.tenant('bench')
    const names = Array.from({ length: CLUSTERS }, (_, i) => `c${i}`)
    process.stdout.write(`starting ${CLUSTERS} clusters… `)
    const t0 = performance.now()
    for (const name of names) {
      const r = await kupe.call('POST', `${T}/clusters`, key, { name })
      if (r.status !== 201) throw new Error(`POST cluster: ${r.status} ${JSON.stringify(r.body)}`)
    }
    await eventually(async () => {
      const list = await kupe.call('GET', `${T}/clusters`, key)
      return list.body.items.every((c: any) => c.status.phase === 'Running') ? true : undefined
    }, 600_000, 'all clusters Running', 500)
    console.log(`${seconds(performance.now() - t0)} s`)
    const clients: CoreV1Api[] = []
    const configs: KubeConfig[] = []
    for (const name of names) {
      const conn = await kupe.call('GET', `${T}/clusters/${name}/kubeconfig`, key)
      const kc = kubeConfig(conn.body.endpoint, conn.body.certificateAuthority, key)
      const core = kc.makeApiClient(CoreV1Api)
      for (const ns of namespaces) await core.createNamespace({ body: { metadata: { name: ns } } })
      clients.push(core)
      configs.push(kc)
    }
    const watch = new TargetWatch()
    await watch.start(configs)
    let version = (await kupe.call('PUT', `${T}/vault/bench/value`, key, { data: { value: 'v0' } })).body.version as number
    const sync = names.flatMap((cluster) => namespaces.map((namespace) => ({ cluster, namespace })))
    const created = await kupe.call('POST', `${T}/secrets`, key, { name: 'bench', secretPath: 'bench/value', sync })
    if (created.status !== 201) throw new Error(`POST secret: ${created.status} ${JSON.stringify(created.body)}`)
    await watch.allAt(version)

    const kupeTimes: number[] = []
    for (let i = 1; i <= WRITES; i++) {
      const started = performance.now()
      const arrived = watch.allAt(version + 1)
      const r = await kupe.call('PUT', `${T}/vault/bench/value`, key, { data: { value: `v${i}` } })
      version = r.body.version as number
      kupeTimes.push((await arrived) - started)
    }

    // Baseline: the same 100 Secret updates, straight from this process, one after the other.
    watch.stop()
    await kupe.call('PATCH', `${T}/secrets/bench`, key, { sync: [] }) // Kupe stops touching them
    const directTimes: number[] = []
    for (let i = 1; i <= WRITES; i++) {
      const started = performance.now()
      const targets = clients.flatMap((core) => namespaces.map((ns) => ({ core, ns })))
      await mapConcurrently(targets, 8, async ({ core, ns }) => {
        const live = await core.readNamespacedSecret({ namespace: ns, name: 'bench' })
        await core.replaceNamespacedSecret({
          namespace: ns, name: 'bench',
          body: { ...live, data: { value: Buffer.from(`d${i}`).toString('base64') }, metadata: { ...live.metadata, annotations: { 'kupe.cloud/source-version': String(version + i) } } },
        })
      })
      directTimes.push(performance.now() - started)
    }
    const [k50, k95, d50, d95] = [percentile(kupeTimes, 50), percentile(kupeTimes, 95), percentile(directTimes, 50), percentile(directTimes, 95)]
    console.log(`vault write → ${CLUSTERS * NAMESPACES} targets in ${CLUSTERS} clusters updated (${WRITES} writes): p50 ${seconds(k50)} s, p95 ${seconds(k95)} s`)
    console.log(`baseline, the same ${CLUSTERS * NAMESPACES} reads and updates made directly (API key, 8 at a time): p50 ${seconds(d50)} s, p95 ${seconds(d95)} s`)
    console.log(`ratio (Kupe p50 / direct p50): ${(k50 / d50).toFixed(2)}`)
  } finally {
    await kupe.stop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
