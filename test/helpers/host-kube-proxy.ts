import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { startKubeProcess, type KubeProcess } from './kube-process.js'

export interface KubeProxyOptions {
  bin: string
  /** kubeconfig of `system:kube-proxy` (bound to `system:node-proxier` by default RBAC). */
  kubeconfig: string
  nodeName: string
  nodeIp: string
  netns: string
  /** The pods' addresses: traffic to a Service from outside it is masqueraded. */
  clusterCidr: string
  unref?: boolean
}

/** kube-proxy in iptables mode, inside the node's network namespace (its rules stay there). */
export async function startKubeProxy(dir: string, o: KubeProxyOptions): Promise<{ proc: KubeProcess; healthz: string }> {
  const config = join(dir, 'kube-proxy.yaml')
  await writeFile(config, stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: o.kubeconfig },
    mode: 'iptables',
    clusterCIDR: o.clusterCidr,
    hostnameOverride: o.nodeName,
    // NodePorts on the node's address only (reachable from the host), not on every local one.
    nodePortAddresses: ['primary'],
    healthzBindAddress: `${o.nodeIp}:10256`,
    metricsBindAddress: '127.0.0.1:10249',
    // nf_conntrack_max is global (read-only outside the initial namespace) and the timeouts are
    // fine as they are: 0 tells kube-proxy to leave them alone.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  }))
  const proc = startKubeProcess('kube-proxy', o.bin, [`--config=${config}`, '--v=2'], join(dir, 'kube-proxy.log'), { netns: o.netns, unref: o.unref })
  return { proc, healthz: `http://${o.nodeIp}:10256/healthz` }
}
