import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { startKubeProcess, type KubeProcess } from './kube-process.js'

export interface KubeletOptions {
  bin: string
  /** kubeconfig of `system:node:<nodeName>` (the Node authorizer limits it to its own node). */
  kubeconfig: string
  nodeName: string
  nodeIp: string
  netns: string
  caCert: string
  containerdSocket: string
  cgroupRoot: string
  unref?: boolean
}

/**
 * The kubelet's configuration. Everything that defaults to a machine-wide path (root dir, pod logs,
 * volume plugins, the cgroup root) is moved under the stack's directory or its own cgroup, so
 * stacks never share state. Why each setting: docs/decisions/0011-host-cluster-stack.md.
 */
function kubeletConfig(dir: string, o: KubeletOptions): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This machine mounts cgroup v1; since 1.35 the kubelet refuses it unless told otherwise.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: o.cgroupRoot,
    containerRuntimeEndpoint: `unix://${o.containerdSocket}`,
    address: o.nodeIp,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: o.caCert } },
    authorization: { mode: 'Webhook' },
    podLogsDir: join(dir, 'pod-logs'),
    volumePluginDir: join(dir, 'volume-plugins'),
    clusterDomain: 'cluster.local',
    resolvConf: '/etc/resolv.conf',
    failSwapOn: false,
    // Images cannot be pulled again (no registry), so never collect them; evict only when truly short.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'nodefs.inodesFree': '1%', 'imagefs.available': '1%' },
    serializeImagePulls: false,
    maxPods: 110,
  }
}

export async function startKubelet(dir: string, o: KubeletOptions): Promise<KubeProcess> {
  const root = join(dir, 'kubelet')
  await mkdir(root, { recursive: true })
  const config = join(root, 'config.yaml')
  await writeFile(config, stringify(kubeletConfig(root, o)))
  return startKubeProcess('kubelet', o.bin, [
    `--config=${config}`,
    `--kubeconfig=${o.kubeconfig}`,
    `--root-dir=${join(root, 'root')}`,
    `--cert-dir=${join(root, 'pki')}`,
    `--hostname-override=${o.nodeName}`,
    `--node-ip=${o.nodeIp}`,
    '--v=2',
  ], join(dir, 'kubelet.log'), { netns: o.netns, unref: o.unref })
}
