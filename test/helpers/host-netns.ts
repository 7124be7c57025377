import { execFileSync } from 'node:child_process'
import { randomInt } from 'node:crypto'

/**
 * The host cluster's node is a network namespace of its own, joined to the host by a veth pair:
 * kube-proxy's iptables chains, the CNI bridge, pod addresses, forwarding and every listening port
 * stay inside it, so several stacks (other worktrees' test runs, a developer's `host-cluster up`)
 * run side by side and deleting the namespace takes all of it away. The host reaches the node at
 * `nodeIp`; the node routes to the host through `hostIp`.
 */
export interface NodeNetwork {
  /** Network namespace name (under /run/netns). */
  netns: string
  /** The host end of the veth pair. */
  hostVeth: string
  hostIp: string
  /** The node's address: kube-apiserver, the kubelet and everything else listen here. */
  nodeIp: string
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Runs a command inside the namespace (network only; mounts and /proc stay the host's). */
export function inNetns(netns: string, cmd: string, args: string[]): string {
  return execFileSync('nsenter', [`--net=/run/netns/${netns}`, '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

/** A /30 in 100.64.0.0/16 (shared address space, unused here) that no interface of the host is in. */
function freeLink(): { hostIp: string; nodeIp: string } {
  const used = ip(['-4', '-o', 'addr', 'show'])
    .split('\n')
    .map((line) => /inet (\d+\.\d+\.\d+\.\d+)\//.exec(line)?.[1])
    .filter((a): a is string => a !== undefined)
    .map((a) => Math.floor(ipv4ToInt(a) / 4))
  const base = ipv4ToInt('100.64.0.0') / 4
  for (let tries = 0; tries < 100; tries++) {
    const block = base + randomInt(1, 16384)
    if (!used.includes(block)) return { hostIp: intToIpv4(block * 4 + 1), nodeIp: intToIpv4(block * 4 + 2) }
  }
  throw new Error('no free /30 in 100.64.0.0/16 for the host cluster node')
}

/** The names of stack `id`'s namespace and veth ends (interface names stay under 16 characters). */
export function nodeNetworkNames(id: string): { netns: string; hostVeth: string; nodeVeth: string } {
  return { netns: `kupe-hc-${id}`, hostVeth: `khc${id}h`, nodeVeth: `khc${id}n` }
}

/** Creates the namespace `kupe-hc-<id>`, its veth pair and the sysctls a node needs, inside it only. */
export function createNodeNetwork(id: string): NodeNetwork {
  const { netns, hostVeth, nodeVeth } = nodeNetworkNames(id)
  const { hostIp, nodeIp } = freeLink()
  const net = { netns, hostVeth, hostIp, nodeIp }
  try {
    ip(['netns', 'add', netns])
    ip(['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nodeVeth])
    ip(['link', 'set', nodeVeth, 'netns', netns])
    ip(['addr', 'add', `${hostIp}/30`, 'dev', hostVeth])
    ip(['link', 'set', hostVeth, 'up'])
    ip(['-n', netns, 'link', 'set', 'lo', 'up'])
    ip(['-n', netns, 'addr', 'add', `${nodeIp}/30`, 'dev', nodeVeth])
    ip(['-n', netns, 'link', 'set', nodeVeth, 'up'])
    // The kubelet picks its node address from the default route's interface.
    ip(['-n', netns, 'route', 'add', 'default', 'via', hostIp])
    // Routing between pods and to Service backends; bridged pod-to-pod replies must pass through
    // iptables so kube-proxy's DNAT is undone (both are per network namespace on this kernel).
    inNetns(netns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1', 'net.bridge.bridge-nf-call-iptables=1'])
    return net
  } catch (err) {
    deleteNodeNetwork(net)
    throw err
  }
}

/** Deletes the namespace (and with it the veth pair, the bridge and every iptables rule in it). */
export function deleteNodeNetwork(net: Pick<NodeNetwork, 'netns' | 'hostVeth'>): void {
  try {
    ip(['netns', 'delete', net.netns])
  } catch {
    // already gone
  }
  try {
    ip(['link', 'delete', net.hostVeth])
  } catch {
    // went with the namespace
  }
}

/** Process ids that live in the namespace (our daemons, containerd's shims, host-network pods). */
export function netnsPids(netns: string): number[] {
  try {
    return ip(['netns', 'pids', netns]).split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}
