// A real one-node Kubernetes on this machine, for people: `npm run host-cluster -- up` starts it in
// the foreground and prints the kubeconfig to use; Ctrl-C, or `npm run host-cluster -- down` from
// another terminal, stops it and removes everything it made. scripts/test.mjs runs `up --json` to
// share one stack between the test files. Needs root; see docs/decisions/0011-host-cluster-stack.md.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { startHostCluster, type HostCluster } from '../test/helpers/host-cluster.js'
import { sweepAbandonedNodes } from '../test/helpers/host-registry.js'
import { handleSignalsWith } from '../test/helpers/kube-process.js'

const DEFAULT_DIR = '/dev/shm/kupe-host-cluster'

function pidFile(dir: string): string {
  return join(dir, 'up.pid')
}

function runningPid(dir: string): number | undefined {
  if (!existsSync(pidFile(dir))) return undefined
  const pid = Number(readFileSync(pidFile(dir), 'utf8'))
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return undefined
  }
}

async function up(opts: { dir: string; json?: boolean }): Promise<void> {
  const other = runningPid(opts.dir)
  if (other) {
    process.stderr.write(`A host cluster already runs from ${opts.dir} (pid ${other}); its kubeconfig is ${join(opts.dir, 'kubeconfig')}\n`)
    process.exit(1)
  }
  // A stack whose owner was SIGKILLed is torn down first (unmounting before anything is deleted);
  // then what is left of an earlier `up` here goes. Any other non-empty directory is refused by
  // startHostCluster.
  sweepAbandonedNodes()
  if (existsSync(join(opts.dir, 'host-cluster.json')) || existsSync(pidFile(opts.dir))) rmSync(opts.dir, { recursive: true, force: true })

  let cluster: HostCluster | undefined
  let stopping = false
  handleSignalsWith(() => {
    if (stopping) return
    stopping = true
    if (!opts.json) process.stderr.write('\nStopping the host cluster…\n')
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(0))
  })

  const started = Date.now()
  try {
    cluster = await startHostCluster({ dir: opts.dir })
  } catch (err) {
    process.stderr.write(`The host cluster did not start: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
  writeFileSync(pidFile(opts.dir), String(process.pid))
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (opts.json) {
    const { kubeconfigPath, server, nodeName, images, dir } = cluster
    process.stdout.write(`${JSON.stringify({ kubeconfigPath, server, nodeName, images, dir, startSeconds: Number(seconds) })}\n`)
  } else {
    process.stdout.write(
      `Host cluster ready in ${seconds} s: node ${cluster.nodeName}, API server ${cluster.server}\n` +
        `  kubeconfig: ${cluster.kubeconfigPath}\n` +
        `  kubectl --kubeconfig ${cluster.kubeconfigPath} get nodes,pods -A\n` +
        `  images: ${cluster.images.busybox.ref} (sandbox ${cluster.images.pause.ref}); nothing else can be pulled\n` +
        `Ctrl-C here, or \`npm run host-cluster -- down\`, stops it and removes everything it made.\n`,
    )
  }
  // Stays up until a signal arrives (see handleSignalsWith above).
  setInterval(() => undefined, 1 << 30)
}

async function down(opts: { dir: string }): Promise<void> {
  const pid = runningPid(opts.dir)
  if (!pid) {
    process.stdout.write(`No host cluster runs from ${opts.dir}\n`)
    return
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      process.stdout.write(`Stopped the host cluster (pid ${pid})\n`)
      return
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  process.stderr.write(`The host cluster (pid ${pid}) did not stop within 60 s\n`)
  process.exit(1)
}

const program = new Command('host-cluster').description('A real one-node Kubernetes whose pods run here (root only)')
program
  .command('up')
  .description('start it in the foreground and print the kubeconfig to use')
  .option('--dir <dir>', 'working directory (kubeconfig, logs, state)', DEFAULT_DIR)
  .option('--json', 'print one JSON line when ready (for scripts)')
  .action(up)
program
  .command('down')
  .description('stop the one that `up` started from --dir')
  .option('--dir <dir>', 'working directory given to `up`', DEFAULT_DIR)
  .action(down)
await program.parseAsync()
