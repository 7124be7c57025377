import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { teardownNode, type NodeFootprint } from './host-teardown.js'

/**
 * Host-cluster stacks that are running on this machine, one file each under /run (tmpfs: a reboot
 * forgets them together with what they made). A stack whose owning process died without cleaning
 * up (SIGKILL, OOM) is torn down by the next start. The file also remembers the kernel settings the
 * kubelet changes machine-wide, so the last stack to go puts them back.
 */
const REGISTRY = '/run/kupe-host-cluster'
const TUNABLES_FILE = join(REGISTRY, 'kernel-tunables.json')

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
    const saved = Object.fromEntries(KERNEL_TUNABLES.map((t) => [t, readFileSync(`/proc/sys/${t}`, 'utf8').trim()]))
    writeFileSync(TUNABLES_FILE, JSON.stringify(saved))
  }
  const record: NodeRecord = { ...fp, ownerPid: process.pid }
  writeFileSync(join(REGISTRY, `node-${fp.id}.json`), JSON.stringify(record))
}

/** Forgets a stack that is gone; the last one restores the kernel settings. */
export function forgetNode(id: string): void {
  rmSync(join(REGISTRY, `node-${id}.json`), { force: true })
  if (records().length > 0) return
  try {
    const saved = JSON.parse(readFileSync(TUNABLES_FILE, 'utf8')) as Record<string, string>
    for (const [t, value] of Object.entries(saved)) {
      try {
        writeFileSync(`/proc/sys/${t}`, value)
      } catch {
        // not writable here; nothing to restore
      }
    }
  } catch {
    // no stack changed them
  }
  rmSync(TUNABLES_FILE, { force: true })
}
