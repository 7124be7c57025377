import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { deleteNodeNetwork, netnsPids } from './host-netns.js'

/**
 * What one host-cluster stack left on the machine outside its processes, enough to remove all of
 * it again — from `stop()`, from the exit hook of a test process that failed, or from the next
 * start after the owner was SIGKILLed. Everything here is synchronous so the exit hook can run it.
 */
export interface NodeFootprint {
  id: string
  /** The working directory: control plane, containerd root and state, kubelet root, logs. */
  dir: string
  netns: string
  hostVeth: string
  /** The kubelet's cgroupRoot (`/kupe-hc-<id>`) in every cgroup v1 hierarchy. */
  cgroupRoot: string
  /** The CNI network name: containerd's CNI library caches results under /var/lib/cni by it. */
  cniNetwork: string
  /** containerd's socket, from which each shim's socket name is derived. */
  containerdSocket: string
}

const CGROUP_BASE = '/sys/fs/cgroup'
const CNI_CACHE = '/var/lib/cni/results'
const CONTAINER_LOG_LINKS = '/var/log/containers' // fixed in the kubelet, not configurable
const SHIM_SOCKETS = '/run/containerd/s' // fixed in containerd 1.6

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** Alive and not a zombie (a zombie holds no mount and no cgroup, and our own wait only in the event loop). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

function cgroupHierarchies(): string[] {
  try {
    return readdirSync(CGROUP_BASE).map((h) => join(CGROUP_BASE, h)).filter((p) => statSync(p).isDirectory())
  } catch {
    return []
  }
}

/**
 * The kubelet's cgroupRoot must exist before it starts: made in every hierarchy (runc also uses the
 * hybrid `unified` one), and removed again by `teardownNode`.
 */
export function createNodeCgroups(cgroupRoot: string): void {
  for (const h of cgroupHierarchies()) mkdirSync(join(h, cgroupRoot), { recursive: true })
}

/** Every cgroup at or under `root` in one hierarchy, deepest first. */
function cgroupTree(path: string): string[] {
  if (!existsSync(path)) return []
  const below = readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupTree(join(path, e.name)))
  return [...below, path]
}

function cgroupPids(cgroupRoot: string): number[] {
  const pids = new Set<number>()
  for (const h of cgroupHierarchies()) {
    for (const cg of cgroupTree(join(h, cgroupRoot))) {
      try {
        for (const p of readFileSync(join(cg, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) pids.add(Number(p))
      } catch {
        // removed meanwhile
      }
    }
  }
  return [...pids]
}

/** containerd 1.6's shim socket name: sha256 of `<containerd socket>/<namespace>/<id>`. */
function shimSocketsOf(containerdSocket: string, pids: number[]): string[] {
  const sockets: string[] = []
  for (const pid of pids) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (!argv[0]?.endsWith('containerd-shim-runc-v2')) continue
      const ns = argv[argv.indexOf('-namespace') + 1]
      const id = argv[argv.indexOf('-id') + 1]
      const digest = createHash('sha256').update(`${containerdSocket}/${ns}/${id}`).digest('hex')
      sockets.push(join(SHIM_SOCKETS, digest))
    } catch {
      // gone already
    }
  }
  return sockets
}

/**
 * SIGKILLs whatever still runs in the node's network namespace (control plane, containerd,
 * kubelet, kube-proxy, shims) and in its cgroups (containers), then waits until it is gone.
 */
function killEverything(fp: NodeFootprint): string[] {
  let shimSockets: string[] = []
  const deadline = Date.now() + 10_000
  for (;;) {
    const inNetns = netnsPids(fp.netns)
    shimSockets = [...new Set([...shimSockets, ...shimSocketsOf(fp.containerdSocket, inNetns)])]
    const pids = [...inNetns, ...cgroupPids(fp.cgroupRoot)].filter((p) => p !== process.pid && running(p))
    if (pids.length === 0 || Date.now() > deadline) return shimSockets
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // exited meanwhile
      }
    }
    sleepSync(50)
  }
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

/** Lazily unmounts every mount at or below `dir` (overlay rootfs, pod netns, volumes), deepest first. */
function unmountBelow(dir: string): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => m !== undefined)
    .map(unescapeMountPath)
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length)
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' })
    } catch {
      // unmounted with its parent
    }
  }
}

function removeMatching(dir: string, match: (name: string, path: string) => boolean): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const path = join(dir, name)
    try {
      if (match(name, path)) unlinkSync(path)
    } catch {
      // gone meanwhile
    }
  }
}

function linksInto(dir: string): (name: string, path: string) => boolean {
  return (_, path) => {
    try {
      return readlinkSync(path).startsWith(`${dir}/`)
    } catch {
      return false
    }
  }
}

/**
 * containerd's CNI library caches each result in /var/lib/cni/results as `<network>-<sandbox>-<if>`:
 * ours, and the loopback network's (`cni-loopback-<sandbox>-lo`) for the same sandboxes.
 */
function removeCniCache(network: string): void {
  let names: string[]
  try {
    names = readdirSync(CNI_CACHE)
  } catch {
    return
  }
  const sandboxes = new Set(names.filter((n) => n.startsWith(`${network}-`)).map((n) => n.slice(network.length + 1).split('-')[0]))
  removeMatching(CNI_CACHE, (name) => name.startsWith(`${network}-`) || sandboxes.has(/^cni-loopback-([0-9a-f]+)-lo$/.exec(name)?.[1] ?? ''))
}

/** Removes everything the stack left: processes, mounts, files, cgroups, the network namespace. */
export function teardownNode(fp: NodeFootprint): void {
  const shimSockets = killEverything(fp)
  unmountBelow(fp.dir)
  // --one-file-system: should a mount have survived, never delete through it into the host.
  try {
    execFileSync('rm', ['-rf', '--one-file-system', fp.dir], { stdio: 'ignore' })
  } catch {
    // reported by the caller's checks, if it matters
  }
  for (const h of cgroupHierarchies()) {
    for (const cg of cgroupTree(join(h, fp.cgroupRoot))) {
      try {
        rmdirSync(cg)
      } catch {
        // a process that would not die; left for the next sweep
      }
    }
  }
  deleteNodeNetwork(fp)
  removeCniCache(fp.cniNetwork)
  removeMatching(CONTAINER_LOG_LINKS, linksInto(fp.dir))
  for (const s of shimSockets) removeMatching(SHIM_SOCKETS, (_, path) => path === s)
}
