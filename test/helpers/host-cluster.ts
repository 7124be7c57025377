import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { kubeBinDir, startKube, type Kube } from '../k8s.js'
import { deleteAllTasks, startContainerd, type Containerd } from './host-containerd.js'
import { localImages, type LocalImages } from './host-images.js'
import { startKubeProxy } from './host-kube-proxy.js'
import { startKubelet } from './host-kubelet.js'
import { createNodeNetwork, nodeNetworkNames, type NodeNetwork } from './host-netns.js'
import { forgetNode, recordNode, sweepAbandonedNodes } from './host-registry.js'
import { createNodeCgroups, teardownNode, type NodeFootprint } from './host-teardown.js'
import { issueClientCertificate } from './kube-pki.js'
import { httpsGet, trackCleanup, waitForProcess, type KubeProcess } from './kube-process.js'

/**
 * A real one-node Kubernetes on this machine whose pods really run: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet and kube-proxy of the pinned release
 * (`npm run k8s:build`), containerd + runc from Debian, CNI bridge networking, local images from
 * tools/images. The node is a network namespace of its own (test/helpers/host-netns.ts), so
 * nothing it does reaches the host's network configuration. Needs root.
 * Design and evidence: docs/decisions/0011-host-cluster-stack.md.
 */
export interface HostClusterOptions {
  /**
   * Working directory, absent or empty (it is removed by `stop()`); default: a fresh one under
   * /dev/shm (etcd fsyncs every write; tmpfs makes that free).
   */
  dir?: string
  /**
   * The stack does not keep the Node process alive; when the process ends, its exit hook tears
   * the stack down (what `hostCluster()` does for a test file run on its own).
   */
  unref?: boolean
}

export interface HostCluster extends HostClusterDescriptor {
  /** The admin kubeconfig itself (CA and client certificate embedded). */
  kubeconfigYaml: string
  stop(): Promise<void>
}

/** What `startHostCluster` writes beside the kubeconfig so other processes can use the stack. */
export interface HostClusterDescriptor {
  /** Admin kubeconfig (YAML), for kubectl and @kubernetes/client-node. */
  kubeconfigPath: string
  /** `https://<node address>:<port>`, reachable from the host. */
  server: string
  nodeName: string
  /** The images pods can use (nothing else can be pulled). */
  images: LocalImages
  dir: string
  /** The node's containerd (e.g. `ctr --address … -n k8s.io images tag`). */
  containerdSocket: string
}

export const NODE_NAME = 'kupe-node'
const POD_CIDR = '10.244.0.0/24'
const CLUSTER_CIDR = '10.244.0.0/16'

/** Why this machine cannot run the stack, or undefined when it can. */
export function hostClusterUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the host cluster needs root (containerd, network namespaces, cgroups)'
  const bins = kubeBinDir()
  for (const b of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'kubelet']) {
    try {
      accessSync(join(bins, b), constants.X_OK)
    } catch {
      return `Kubernetes binary ${b} not found in ${bins}: run \`npm run k8s:build\``
    }
  }
  for (const cmd of ['containerd', 'containerd-shim-runc-v2', 'runc', 'ctr', 'ip', 'nsenter', 'iptables', 'gcc']) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    } catch {
      return `${cmd} is missing: apt-get install -y containerd runc busybox-static containernetworking-plugins iptables iproute2 gcc libc6-dev`
    }
  }
  if (!existsSync('/usr/lib/cni/bridge') || !existsSync('/bin/busybox')) {
    return 'CNI plugins or busybox are missing: apt-get install -y containernetworking-plugins busybox-static'
  }
  return undefined
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64')
}

/** A kubeconfig that refers to certificate files (for the node's own components). */
function fileKubeconfig(server: string, ca: string, cert: { cert: string; key: string }, user: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kupe-host', cluster: { server, 'certificate-authority': ca } }],
    users: [{ name: user, user: { 'client-certificate': cert.cert, 'client-key': cert.key } }],
    contexts: [{ name: 'kupe-host', context: { cluster: 'kupe-host', user } }],
    'current-context': 'kupe-host',
  })
}

function adminKubeconfigYaml(kube: Kube): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kupe-host', cluster: { server: kube.server, 'certificate-authority-data': b64(kube.caPem) } }],
    users: [{ name: 'kupe-admin', user: { 'client-certificate-data': b64(kube.clientCert.certPem), 'client-key-data': b64(kube.clientCert.keyPem) } }],
    contexts: [{ name: 'kupe-host', context: { cluster: 'kupe-host', user: 'kupe-admin' } }],
    'current-context': 'kupe-host',
  })
}

function cniConfig(network: string, dir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: network,
    plugins: [
      {
        type: 'bridge',
        bridge: 'kupe0',
        isGateway: true,
        ipMasq: false, // pods talk to the node and each other only; no way out is needed
        hairpinMode: true, // a pod reaching itself through its Service
        ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: join(dir, 'ipam') },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  })
}

async function waitForNodeReady(kube: Kube, kubelet: KubeProcess, nodeName: string): Promise<void> {
  await waitForProcess(kubelet, `node ${nodeName} Ready`, async () => {
    const res = await httpsGet(`${kube.server}/api/v1/nodes/${nodeName}`, { ca: kube.caPem, token: kube.adminToken })
    if (res.status !== 200) return false
    const node = JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
  }, 120_000)
}

/** Starts the stack and waits until the node is Ready; throws (after cleaning up) when it is not. */
export async function startHostCluster(opts: HostClusterOptions = {}): Promise<HostCluster> {
  const unavailable = hostClusterUnavailable()
  if (unavailable) throw new Error(unavailable)
  sweepAbandonedNodes()

  const id = randomBytes(3).toString('hex')
  if (opts.dir && existsSync(opts.dir) && readdirSync(opts.dir).length > 0) {
    throw new Error(`${opts.dir} is not empty: the host cluster takes a directory of its own (and removes it when stopped)`)
  }
  const dir = opts.dir ?? mkdtempSync('/dev/shm/kupe-hc-')
  mkdirSync(dir, { recursive: true })
  const { netns, hostVeth } = nodeNetworkNames(id)
  const footprint: NodeFootprint = {
    id,
    dir,
    netns,
    hostVeth,
    cgroupRoot: `/kupe-hc-${id}`,
    cniNetwork: `kupe-hc-${id}`,
    containerdSocket: join(dir, 'containerd/containerd.sock'),
  }
  recordNode(footprint)
  const untrack = trackCleanup(() => {
    teardownNode(footprint)
    forgetNode(id)
  })

  let kube: Kube | undefined
  let containerd: Containerd | undefined
  const procs: KubeProcess[] = []
  const stop = async (): Promise<void> => {
    // The kubelet first, or it restarts what is being removed; then containers through
    // containerd so their shims exit cleanly; the rest is swept by the teardown.
    for (const p of procs.splice(0).reverse()) await p.stop()
    if (containerd) await deleteAllTasks(containerd)
    await containerd?.proc.stop()
    await kube?.stop()
    teardownNode(footprint)
    forgetNode(id)
    untrack()
  }

  try {
    const images = await localImages()
    const net: NodeNetwork = createNodeNetwork(id)
    createNodeCgroups(footprint.cgroupRoot)
    const cniConfDir = join(dir, 'cni/net.d')
    await mkdir(cniConfDir, { recursive: true })
    await writeFile(join(cniConfDir, '10-kupe.conflist'), cniConfig(footprint.cniNetwork, join(dir, 'cni')))

    const bins = kubeBinDir()
    const started = await Promise.all([
      startKube({
        dir: join(dir, 'control-plane'),
        address: net.nodeIp,
        netns: net.netns,
        unref: opts.unref,
        controllerManager: true,
        scheduler: true,
        apiserverFlags: [
          // A list flag: this adds the Node authorizer to startKube's RBAC (the kubelet is a node).
          '--authorization-mode=Node',
          '--enable-admission-plugins=NodeRestriction',
          '--kubelet-preferred-address-types=InternalIP',
        ],
      }),
      (async () => {
        const c = await startContainerd(dir, { sandboxImage: images.pause.ref, cniConfDir, netns: net.netns, unref: opts.unref })
        containerd = c
        for (const image of [images.pause, images.busybox]) await c.ctr(['images', 'import', image.archive])
        return c
      })(),
    ])
    kube = started[0]
    containerd = started[1]

    const pkiDir = join(kube.dir, 'pki')
    const kubeletCert = await issueClientCertificate(pkiDir, 'kubelet', `/O=system:nodes/CN=system:node:${NODE_NAME}`)
    const proxyCert = await issueClientCertificate(pkiDir, 'kube-proxy', '/CN=system:kube-proxy')
    const kubeletKubeconfig = join(dir, 'kubelet.kubeconfig')
    const proxyKubeconfig = join(dir, 'kube-proxy.kubeconfig')
    await writeFile(kubeletKubeconfig, fileKubeconfig(kube.server, kube.pki.caCert, kubeletCert, `system:node:${NODE_NAME}`), { mode: 0o600 })
    await writeFile(proxyKubeconfig, fileKubeconfig(kube.server, kube.pki.caCert, proxyCert, 'system:kube-proxy'), { mode: 0o600 })

    const kubelet = await startKubelet(dir, {
      bin: join(bins, 'kubelet'),
      kubeconfig: kubeletKubeconfig,
      nodeName: NODE_NAME,
      nodeIp: net.nodeIp,
      netns: net.netns,
      caCert: kube.pki.caCert,
      containerdSocket: containerd.socket,
      cgroupRoot: footprint.cgroupRoot,
      unref: opts.unref,
    })
    procs.push(kubelet)
    const proxy = await startKubeProxy(dir, {
      bin: join(bins, 'kube-proxy'),
      kubeconfig: proxyKubeconfig,
      nodeName: NODE_NAME,
      nodeIp: net.nodeIp,
      netns: net.netns,
      clusterCidr: CLUSTER_CIDR,
      unref: opts.unref,
    })
    procs.push(proxy.proc)

    await waitForNodeReady(kube, kubelet, NODE_NAME)
    await waitForProcess(proxy.proc, 'its /healthz', async () => (await fetch(proxy.healthz)).ok, 60_000)

    const kubeconfigYaml = adminKubeconfigYaml(kube)
    const kubeconfigPath = join(dir, 'kubeconfig')
    await writeFile(kubeconfigPath, kubeconfigYaml, { mode: 0o600 })
    const descriptor: HostClusterDescriptor = { kubeconfigPath, server: kube.server, nodeName: NODE_NAME, images, dir, containerdSocket: footprint.containerdSocket }
    await writeFile(join(dir, 'host-cluster.json'), JSON.stringify(descriptor, null, 2))
    return { ...descriptor, kubeconfigYaml, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}

/** Reads what a running stack wrote (see `HostClusterDescriptor`), given its kubeconfig path. */
export async function readHostClusterDescriptor(kubeconfigPath: string): Promise<HostClusterDescriptor & { kubeconfigYaml: string }> {
  const dir = join(kubeconfigPath, '..')
  const descriptor = JSON.parse(await readFile(join(dir, 'host-cluster.json'), 'utf8')) as HostClusterDescriptor
  return { ...descriptor, kubeconfigYaml: await readFile(kubeconfigPath, 'utf8') }
}
