import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { teardownNode, type NodeFootprint } from './host-teardown.js'

/**
 * Host-cluster stacks that are running on this machine, one file each under /run (tmpfs: a reboot
 * forgets them together with what they made). A stack whose owning process died without cleaning
 * up (SIGKILL, OOM) is torn down by the next start. The registry also remembers the machine-wide
 * state every kubelet changes, whatever its configuration — kernel settings, and its device-plugin
 * socket under /var/lib/kubelet — so the last stack to go puts it back as it found it.
 */
const REGISTRY = '/run/kupe-host-cluster'
const MACHINE_STATE_FILE = join(REGISTRY, 'machine-state.json')
// Fixed in the kubelet (pluginapi.DevicePluginPath); each kubelet replaces the socket at start.
const DEVICE_PLUGINS = '/var/lib/kubelet/device-plugins'
// Directories a stack's kubelet, CNI plugins and containerd shims create at fixed paths, deepest
// first; the files in them are removed per stack (host-teardown.ts), the directories at the end
// when they were not there before.
const MACHINE_DIRS = [DEVICE_PLUGINS, '/var/lib/kubelet', '/var/log/containers', '/var/lib/cni/results', '/var/lib/cni', '/run/containerd/s', '/run/containerd']

interface MachineState {
  tunables: Record<string, string>
  /** Which of MACHINE_DIRS existed before the first stack. */
  existed: string[]
}

// What the kubelet sets at start (pkg/kubelet/cm setupKernelTunables); these are global, not per
// namespace.
const KERNEL_TUNABLES = ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops', 'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes']

interface NodeRecord extends NodeFootprint {
  ownerPid: number
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function records(): NodeRecord[] {
  let names: string[]
  try {
    names = readdirSync(REGISTRY).filter((n) => n.startsWith('node-') && n.endsWith('.json'))
  } catch {
    return []
  }
  return names.flatMap((n) => {
    try {
      return [JSON.parse(readFileSync(join(REGISTRY, n), 'utf8')) as NodeRecord]
    } catch {
      return []
    }
  })
}

/** Tears down every stack whose owner is gone. */
export function sweepAbandonedNodes(): void {
  for (const r of records()) {
    if (alive(r.ownerPid)) continue
    teardownNode(r)
    forgetNode(r.id)
  }
}

/** Records a stack before it makes anything, and the kernel settings before any kubelet changed them. */
export function recordNode(fp: NodeFootprint): void {
  mkdirSync(REGISTRY, { recursive: true })
  if (records().length === 0) {
    const state: MachineState = {
      tunables: Object.fromEntries(KERNEL_TUNABLES.map((t) => [t, readFileSync(`/proc/sys/${t}`, 'utf8').trim()])),
      existed: MACHINE_DIRS.filter((d) => existsSync(d)),
    }
    writeFileSync(MACHINE_STATE_FILE, JSON.stringify(state))
  }
  const record: NodeRecord = { ...fp, ownerPid: process.pid }
  writeFileSync(join(REGISTRY, `node-${fp.id}.json`), JSON.stringify(record))
}

/** Forgets a stack that is gone; the last one restores the machine-wide state. */
export function forgetNode(id: string): void {
  rmSync(join(REGISTRY, `node-${id}.json`), { force: true })
  if (records().length > 0) return
  let state: MachineState
  try {
    state = JSON.parse(readFileSync(MACHINE_STATE_FILE, 'utf8')) as MachineState
  } catch {
    return // no stack changed anything
  }
  for (const [t, value] of Object.entries(state.tunables)) {
    try {
      writeFileSync(`/proc/sys/${t}`, value)
    } catch {
      // not writable here; nothing to restore
    }
  }
  rmSync(join(DEVICE_PLUGINS, 'kubelet.sock'), { force: true })
  rmSync(join(DEVICE_PLUGINS, 'kubelet_internal_checkpoint'), { force: true })
  for (const d of MACHINE_DIRS.filter((d) => !state.existed.includes(d))) {
    try {
      rmdirSync(d)
    } catch {
      // not empty: something else put files there
    }
  }
  rmSync(MACHINE_STATE_FILE, { force: true })
}
