import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { generateKubePki, type KubePki } from './helpers/kube-pki.js'
import { freePort, httpsGet, releaseDir, startKubeProcess, trackDir, waitForProcess, type KubeProcess } from './helpers/kube-process.js'

/**
 * Real Kubernetes for tests (the envtest recipe): etcd + kube-apiserver (+ kube-controller-manager)
 * built by `npm run k8s:build`, on free loopback ports, with a fresh PKI, RBAC on. See
 * docs/decisions/0005-kubernetes-binaries.md for the flags.
 */
export interface KubeOptions {
  /** Also run kube-controller-manager (namespace deletion, service accounts, garbage collection…). */
  controllerManager?: boolean
  /** Also run kube-scheduler (pods get bound to nodes). */
  scheduler?: boolean
  /** Extra kube-apiserver flags, e.g. `--etcd-prefix=/clusters/x`; later flags override earlier ones. */
  apiserverFlags?: string[]
  /**
   * The address every process listens on and kube-apiserver advertises (default 127.0.0.1). Any
   * other address is also put in the serving certificate, and the `kubernetes` Service gets it as
   * its endpoint (127.0.0.1 cannot be one).
   */
  address?: string
  /** Run every process inside this network namespace (`ip netns` name), where `address` lives. */
  netns?: string
  /** Work in this directory (created if missing) instead of a fresh one under /dev/shm; `stop()` removes it. */
  dir?: string
  /** The processes do not keep the Node process alive; its exit hook ends them (see `KubeProcessOptions.unref`). */
  unref?: boolean
}

export interface Kube {
  /** The Kubernetes release that runs, e.g. `v1.37.2`. */
  version: string
  /** `https://127.0.0.1:<port>`. */
  server: string
  /** kubeconfig (JSON) of the admin: client certificate in `system:masters`. */
  kubeconfigPath: string
  caPem: string
  /** Admin client certificate (`O=system:masters`, `CN=kupe-admin`). */
  clientCert: { certPem: string; keyPem: string }
  /** Bearer token of user `kupe-admin-token` in `system:masters` (static token file). */
  adminToken: string
  /** Bearer token of user `kupe-unprivileged`: authenticated, granted nothing by RBAC. */
  userToken: string
  /** etcd's client URL, on loopback (inside `netns` when one was given). */
  etcdUrl: string
  /** The certificates and keys (files under `<dir>/pki`), for components that need their own. */
  pki: KubePki
  /** Working directory (certificates, logs, etcd data); removed by `stop()`. */
  dir: string
  stop(): Promise<void>
}

const run = promisify(execFile)
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The release pinned in tools/k8s/go.mod, the one `npm run k8s:build` builds. */
export function pinnedKubeVersion(): string {
  const goMod = readFileSync(join(repoRoot, 'tools/k8s/go.mod'), 'utf8')
  const m = /^\s*k8s\.io\/kubernetes (v\d+\.\d+\.\d+)\b/m.exec(goMod)
  if (!m?.[1]) throw new Error('tools/k8s/go.mod does not pin k8s.io/kubernetes')
  return m[1]
}

/** Where the binaries are: $KUPE_K8S_DIR, else the build cache of the pinned release. */
export function kubeBinDir(): string {
  if (process.env.KUPE_K8S_DIR) return process.env.KUPE_K8S_DIR
  const cache = process.env.KUPE_K8S_CACHE || join(homedir(), '.cache/kupe/k8s')
  return join(cache, pinnedKubeVersion())
}

function requireBinary(dir: string, name: string): string {
  const path = join(dir, name)
  try {
    accessSync(path, constants.X_OK)
  } catch {
    throw new Error(`Kubernetes binary ${name} not found in ${dir}: run \`npm run k8s:build\` (tools/k8s/build.sh) first`)
  }
  return path
}

function workDir(dir: string | undefined): string {
  if (dir) {
    mkdirSync(dir, { recursive: true })
    return dir
  }
  // etcd 3.4 fsyncs every write and cannot be told not to; tmpfs makes that free.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  return mkdtempSync(join(base, 'kupe-kube-'))
}

function adminKubeconfig(server: string, pki: KubePki): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kupe-test', cluster: { server, 'certificate-authority-data': b64(pki.caPem) } }],
    users: [{ name: 'kupe-admin', user: { 'client-certificate-data': b64(pki.adminCertPem), 'client-key-data': b64(pki.adminKeyPem) } }],
    contexts: [{ name: 'kupe-test', context: { cluster: 'kupe-test', user: 'kupe-admin' } }],
    'current-context': 'kupe-test',
  })
}

/** GET of a loopback URL inside a network namespace (a Node process of our own, joined to it). */
async function fetchInNetns(netns: string, url: string): Promise<string> {
  const probe = `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t))`
  return (await run('nsenter', [`--net=/run/netns/${netns}`, '--', process.execPath, '-e', probe], { encoding: 'utf8', timeout: 5_000 })).stdout
}

async function startEtcd(bin: string, dir: string, netns: string | undefined, unref: boolean | undefined): Promise<{ proc: KubeProcess; url: string }> {
  const [client, peer] = [await freePort(), await freePort()]
  // Always loopback: in a network namespace only kube-apiserver beside it reaches etcd (which has
  // no TLS), not the host and not the pods.
  const url = `http://127.0.0.1:${client}`
  const peerUrl = `http://127.0.0.1:${peer}`
  const proc = startKubeProcess('etcd', bin, [
    '--name=kupe', `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${url}`, `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=kupe=${peerUrl}`, '--initial-cluster-state=new',
    '--logger=zap', '--log-level=warn',
  ], join(dir, 'etcd.log'), { netns, unref })
  await waitForProcess(proc, 'etcd /health', async () => {
    const body = netns ? await fetchInNetns(netns, `${url}/health`) : await (await fetch(`${url}/health`)).text()
    return (JSON.parse(body) as { health?: string }).health === 'true'
  }, 30_000)
  return { proc, url }
}

function apiserverArgs(dir: string, pki: KubePki, address: string, port: number, etcdUrl: string, extra: string[]): string[] {
  return [
    `--etcd-servers=${etcdUrl}`,
    `--bind-address=${address}`, `--advertise-address=${address}`, `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    // 127.0.0.1 is not a valid endpoint address, so the `kubernetes` Service gets none there.
    `--endpoint-reconciler-type=${address === '127.0.0.1' ? 'none' : 'lease'}`,
    '--allow-privileged=true',
    // How kube-apiserver authenticates to a kubelet (logs, exec), when one joins: as the admin.
    `--kubelet-client-certificate=${pki.adminCert}`, `--kubelet-client-key=${pki.adminKey}`,
    ...extra,
  ]
}

function controllerManagerArgs(dir: string, pki: KubePki, address: string, port: number, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${address}`, `--secure-port=${port}`,
    `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    '--leader-elect=false',
    `--cert-dir=${join(dir, 'kcm-certs')}`,
  ]
}

function schedulerArgs(dir: string, pki: KubePki, address: string, port: number, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${address}`, `--secure-port=${port}`,
    `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--leader-elect=false',
    `--cert-dir=${join(dir, 'scheduler-certs')}`,
  ]
}

/** Starts a throw-away control plane; throws (after cleaning up) when it does not become ready. */
export async function startKube(opts: KubeOptions = {}): Promise<Kube> {
  const bins = kubeBinDir()
  const etcdBin = requireBinary(bins, 'etcd')
  const apiserverBin = requireBinary(bins, 'kube-apiserver')
  const kcmBin = opts.controllerManager ? requireBinary(bins, 'kube-controller-manager') : undefined
  const schedulerBin = opts.scheduler ? requireBinary(bins, 'kube-scheduler') : undefined
  const address = opts.address ?? '127.0.0.1'
  const netns = opts.netns
  const unref = opts.unref

  const dir = workDir(opts.dir)
  trackDir(dir)
  const procs: KubeProcess[] = []
  const stop = async (): Promise<void> => {
    for (const p of procs.splice(0).reverse()) await p.stop()
    releaseDir(dir)
  }
  try {
    await mkdir(join(dir, 'pki'))
    const pki = await generateKubePki(join(dir, 'pki'), { extraIps: address === '127.0.0.1' ? [] : [address] })
    const adminToken = randomBytes(24).toString('base64url')
    const userToken = randomBytes(24).toString('base64url')
    await writeFile(join(dir, 'tokens.csv'), `${adminToken},kupe-admin-token,kupe-admin-token,"system:masters"\n${userToken},kupe-unprivileged,kupe-unprivileged\n`)

    const etcd = await startEtcd(etcdBin, dir, netns, unref)
    procs.push(etcd.proc)

    const port = await freePort()
    const server = `https://${address}:${port}`
    const apiserver = startKubeProcess('kube-apiserver', apiserverBin, apiserverArgs(dir, pki, address, port, etcd.url, opts.apiserverFlags ?? []), join(dir, 'kube-apiserver.log'), { netns, unref })
    procs.push(apiserver)
    await waitForProcess(apiserver, '/readyz', async () => (await httpsGet(`${server}/readyz`, { ca: pki.caPem, token: adminToken })).status === 200, 90_000)

    const versionInfo = await httpsGet(`${server}/version`, { ca: pki.caPem, token: adminToken })
    const version = (JSON.parse(versionInfo.body) as { gitVersion: string }).gitVersion

    const kubeconfigPath = join(dir, 'kubeconfig')
    await writeFile(kubeconfigPath, adminKubeconfig(server, pki), { mode: 0o600 })

    if (kcmBin) {
      const kcmPort = await freePort()
      const kcm = startKubeProcess('kube-controller-manager', kcmBin, controllerManagerArgs(dir, pki, address, kcmPort, kubeconfigPath), join(dir, 'kube-controller-manager.log'), { netns, unref })
      procs.push(kcm)
      await waitForProcess(kcm, '/healthz', async () => (await httpsGet(`https://${address}:${kcmPort}/healthz`, { ca: pki.caPem })).status === 200, 60_000)
    }
    if (schedulerBin) {
      const schedulerPort = await freePort()
      const scheduler = startKubeProcess('kube-scheduler', schedulerBin, schedulerArgs(dir, pki, address, schedulerPort, kubeconfigPath), join(dir, 'kube-scheduler.log'), { netns, unref })
      procs.push(scheduler)
      await waitForProcess(scheduler, '/healthz', async () => (await httpsGet(`https://${address}:${schedulerPort}/healthz`, { ca: pki.caPem })).status === 200, 60_000)
    }

    return {
      version,
      server,
      kubeconfigPath,
      caPem: pki.caPem,
      clientCert: { certPem: pki.adminCertPem, keyPem: pki.adminKeyPem },
      adminToken,
      userToken,
      etcdUrl: etcd.url,
      pki,
      dir,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
