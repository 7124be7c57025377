// `npm run bench:provision`: seconds from `POST /clusters` to `Running` on the `local` provider,
// next to a bare kube-apiserver cold start (spawn → /readyz 200) measured in the same run on the
// same binary, and their ratio. The bare start gets the same certificates and a fresh etcd of its
// own; the provider's runs after the first find its shared etcd already up (the first one pays
// for starting it, and is shown separately). Knob: BENCH_RUNS (default 3).
import { spawn, type ChildProcess } from 'node:child_process'
import { createPublicKey } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config.js'
import { getWithAccess, type ClusterAccess } from '../src/kube/cluster-client.js'
import { createCertificateAuthority, issueCertificate } from '../src/kube/pki.js'
import { findKubeReleases } from '../src/providers/local/binaries.js'
import { freePort } from '../src/providers/local/ports.js'
import { percentile, requireBinaries, seconds, startLocalKupe } from './k8s-bench-support.js'
import { eventually, StopPolling } from '../test/helpers/eventually.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

function start(bin: string, args: string[], log: string): ChildProcess {
  const fd = openSync(log, 'w')
  try {
    return spawn(bin, args, { stdio: ['ignore', fd, fd] })
  } finally {
    closeSync(fd)
  }
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return
  const exited = new Promise((r) => p.once('exit', r))
  p.kill('SIGTERM')
  const force = setTimeout(() => p.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(force)
}

/** One bare kube-apiserver: its own etcd (up before the clock starts), certificates, RBAC; timed from spawn to /readyz. */
async function bareColdStart(): Promise<number> {
  const release = findKubeReleases(loadConfig({}, process.env).k8sDir).at(-1)!
  const dir = mkdtempSync(join(tmpdir(), 'kupe-bench-bare-'))
  const procs: ChildProcess[] = []
  try {
    const [client, peer, port] = [await freePort(), await freePort(), await freePort()]
    const etcdUrl = `http://127.0.0.1:${client}`
    procs.push(start(release.etcd, [
      '--name=bench', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=bench=http://127.0.0.1:${peer}`, '--log-level=warn',
    ], join(dir, 'etcd.log')))
    await eventually(async () => ((await fetch(`${etcdUrl}/health`)).ok ? true : undefined), 30_000, 'etcd', 50)
    const now = new Date()
    const ca = await createCertificateAuthority('bench-ca', now)
    const serving = await issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], validDays: 1 }, now)
    const admin = await issueCertificate(ca, { commonName: 'bench', organizations: ['system:masters'], usage: 'client', validDays: 1 }, now)
    const sa = await issueCertificate(ca, { commonName: 'sa', usage: 'client', validDays: 1 }, now)
    const saPublic = createPublicKey(sa.keyPem).export({ type: 'spki', format: 'pem' }).toString()
    const file = (name: string, content: string) => (writeFileSync(join(dir, name), content, { mode: 0o600 }), join(dir, name))
    const args = [
      `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${join(dir, 'certs')}`,
      `--tls-cert-file=${file('serving.crt', serving.certPem)}`, `--tls-private-key-file=${file('serving.key', serving.keyPem)}`,
      `--client-ca-file=${file('ca.crt', ca.certPem)}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub', saPublic)}`, `--service-account-signing-key-file=${file('sa.key', sa.keyPem)}`,
      '--service-cluster-ip-range=10.96.0.0/24', '--endpoint-reconciler-type=none',
    ]
    const access: ClusterAccess = { server: `https://127.0.0.1:${port}`, caPem: ca.certPem, certPem: admin.certPem, keyPem: admin.keyPem }
    const t0 = performance.now()
    const apiserver = start(release.apiserver, args, join(dir, 'kube-apiserver.log'))
    procs.push(apiserver)
    await eventually(async () => ((await getWithAccess(access, '/readyz', 1_000)).status === 200 ? true : undefined), 180_000, 'bare /readyz', 25)
    return performance.now() - t0
  } finally {
    for (const p of procs.reverse()) await stopProcess(p)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  requireBinaries()
  const bare: number[] = []
  for (let i = 0; i < RUNS; i++) bare.push(await bareColdStart())

  const kupe = await startLocalKupe()
  const provider: number[] = []
  try {
    const key = await kupe.tenant('bench')
    for (let i = 0; i < RUNS + 1; i++) {
      const name = `bench-${i}`
      const t0 = performance.now()
      const r = await kupe.call('POST', '/api/v1/tenants/bench/clusters', key, { name })
      if (r.status !== 201) throw new Error(`POST cluster: ${r.status} ${JSON.stringify(r.body)}`)
      await eventually(async () => {
        const g = await kupe.call('GET', `/api/v1/tenants/bench/clusters/${name}`, key)
        if (g.body.status.phase === 'Failed') throw new StopPolling(JSON.stringify(g.body.status))
        return g.body.status.phase === 'Running' ? true : undefined
      }, 180_000, `${name} Running`, 25)
      provider.push(performance.now() - t0)
      // One control plane at a time, like the bare starts: delete before the next.
      await kupe.call('DELETE', `/api/v1/tenants/bench/clusters/${name}`, key)
      await eventually(async () => ((await kupe.call('GET', `/api/v1/tenants/bench/clusters/${name}`, key)).status === 404 ? true : undefined), 180_000, `${name} gone`, 50)
    }
  } finally {
    await kupe.stop()
  }
  const [first, ...warm] = provider
  const bareP50 = percentile(bare, 50)
  const kupeP50 = percentile(warm, 50)
  console.log(`bare kube-apiserver cold start → /readyz: ${bare.map(seconds).join(', ')} s (median ${seconds(bareP50)} s)`)
  console.log(`local provider POST → Running (shared etcd up): ${warm.map(seconds).join(', ')} s (median ${seconds(kupeP50)} s)`)
  console.log(`local provider POST → Running, first cluster (starts etcd too): ${seconds(first!)} s`)
  console.log(`ratio (Kupe median / bare median): ${(kupeP50 / bareP50).toFixed(2)}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
