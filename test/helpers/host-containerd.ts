import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startKubeProcess, waitForProcess, type KubeProcess } from './kube-process.js'

const run = promisify(execFile)

/**
 * The host cluster's own containerd (Debian's 1.6): config, root, state, runc root and socket all
 * under `<dir>/containerd`, so it never touches the system's containerd or /var/lib/containerd.
 * See docs/decisions/0011-host-cluster-stack.md for each setting.
 */
export interface Containerd {
  proc: KubeProcess
  /** The CRI and containerd API socket (what `ctr --address` and the kubelet take). */
  socket: string
  /** `ctr` against this containerd, namespace k8s.io (the CRI's). */
  ctr(args: string[]): Promise<string>
}

export interface ContainerdOptions {
  /** The sandbox (pause) image, already imported or imported right after start. */
  sandboxImage: string
  /** Directory holding the CNI network configuration. */
  cniConfDir: string
  netns: string
  unref?: boolean
}

function containerdConfig(base: string, opts: ContainerdOptions): string {
  const q = JSON.stringify // TOML basic strings are JSON strings for these paths
  return `version = 2
root = ${q(join(base, 'root'))}
state = ${q(join(base, 'state'))}
# Snapshotters this machine cannot use (and would only log about), and tracing.
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = ${q(join(base, 'containerd.sock'))}

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(join(base, 'opt'))}

[plugins."io.containerd.grpc.v1.cri"]
  # No registry is reachable: a locally built image, imported before the first pod.
  sandbox_image = ${q(opts.sandboxImage)}
  # Pod network namespaces under the state directory, not the host's /var/run/netns.
  netns_mounts_under_state_dir = true
  # This machine's root lacks CAP_SYS_RESOURCE, so no process may lower its oom_score_adj: runc
  # fails to start the sandbox (oomScoreAdj -998) unless containerd keeps scores at or above its own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = ${q(join(base, 'runc'))}
        # No systemd here; the kubelet uses the cgroupfs driver too.
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${q(opts.cniConfDir)}
`
}

export async function startContainerd(dir: string, opts: ContainerdOptions): Promise<Containerd> {
  const base = join(dir, 'containerd')
  await mkdir(base, { recursive: true })
  const config = join(base, 'config.toml')
  await writeFile(config, containerdConfig(base, opts))
  const socket = join(base, 'containerd.sock')
  const proc = startKubeProcess('containerd', 'containerd', ['--config', config], join(dir, 'containerd.log'), { netns: opts.netns, unref: opts.unref })
  const ctr = async (args: string[]): Promise<string> => (await run('ctr', ['--address', socket, '-n', 'k8s.io', ...args], { encoding: 'utf8' })).stdout
  await waitForProcess(proc, 'its socket', async () => {
    await ctr(['version'])
    return true
  }, 30_000)
  return { proc, socket, ctr }
}

/**
 * Kills and deletes every task (container process) through containerd, so each shim exits on its
 * own and removes its socket; what is left after that is swept by the teardown.
 */
export async function deleteAllTasks(containerd: Containerd): Promise<void> {
  const listed = await containerd.ctr(['tasks', 'ls', '-q']).catch(() => '')
  for (const id of listed.split('\n').filter(Boolean)) {
    await containerd.ctr(['tasks', 'delete', '--force', id]).catch(() => '')
  }
}
