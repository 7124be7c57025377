import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { createServer } from 'node:net'
import { eventually, StopPolling } from './eventually.js'

/** A control plane process whose output goes to a log file, stopped for sure when the test process ends. */
export interface KubeProcess {
  name: string
  /** Process id, once spawned. */
  pid: number | undefined
  logPath: string
  /** Exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>
  /** Whether it has ended, and how. */
  exit(): number | string | undefined
  /** The last lines it logged, for error messages. */
  logTail(lines?: number): string
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has ended. */
  stop(): Promise<void>
}

// Everything a harness started and has not cleaned up yet. The hooks below end the processes and
// remove the directories when the test process exits for any reason other than SIGKILL, so a failed
// or interrupted test leaves no etcd or kube-apiserver behind.
const liveChildren = new Set<ChildProcess>()
const liveDirs = new Set<string>()
const liveCleanups = new Set<() => void>()
let hooksInstalled = false

function cleanUpNow(): void {
  for (const child of liveChildren) child.kill('SIGKILL')
  liveChildren.clear()
  // Newest first: a later registration may depend on state an earlier one removes.
  for (const cleanup of [...liveCleanups].reverse()) {
    try {
      cleanup()
    } catch {
      // best effort: the process is ending, the next cleanup still gets its turn
    }
  }
  liveCleanups.clear()
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true })
  liveDirs.clear()
}

let signalOwner: ((signal: NodeJS.Signals) => void) | undefined

function onSignal(signal: NodeJS.Signals): void {
  if (signalOwner) {
    signalOwner(signal)
    return
  }
  cleanUpNow()
  process.removeListener('SIGINT', onSignal)
  process.removeListener('SIGTERM', onSignal)
  process.removeListener('SIGHUP', onSignal)
  process.kill(process.pid, signal) // re-raise: the default action ends the process as it would have
}

function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', cleanUpNow)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('SIGHUP', onSignal)
}

/**
 * Lets a long-running program (scripts/host-cluster.ts) shut down gracefully on SIGINT, SIGTERM
 * and SIGHUP: `handler` runs instead of the immediate kill-and-remove, and should stop what it
 * started and exit. The `exit` hook still removes whatever is left.
 */
export function handleSignalsWith(handler: (signal: NodeJS.Signals) => void): void {
  installExitHooks()
  signalOwner = handler
}

/** Registers a directory to remove when the test process exits without calling `releaseDir`. */
export function trackDir(dir: string): void {
  installExitHooks()
  liveDirs.add(dir)
}

export function releaseDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  liveDirs.delete(dir)
}

/**
 * Registers a synchronous cleanup (state outside any directory: mounts, network namespaces,
 * processes that are not our children) to run when the test process exits before it is undone;
 * call the returned function once it has been undone normally.
 */
export function trackCleanup(cleanup: () => void): () => void {
  installExitHooks()
  liveCleanups.add(cleanup)
  return () => {
    liveCleanups.delete(cleanup)
  }
}

export interface KubeProcessOptions {
  /** Run it inside this network namespace (a name under /run/netns, as `ip netns` makes). */
  netns?: string
  /**
   * Do not keep the Node process alive for it: the process may end while it runs, and the exit
   * hook then kills it (for a stack shared by every test of a file, stopped by nobody).
   */
  unref?: boolean
}

export function startKubeProcess(name: string, bin: string, args: string[], logPath: string, opts: KubeProcessOptions = {}): KubeProcess {
  installExitHooks()
  const fd = openSync(logPath, 'a')
  let child: ChildProcess
  try {
    // nsenter joins the namespace and execs the binary, so the child's pid is the binary's own.
    const [file, argv] = opts.netns ? ['nsenter', [`--net=/run/netns/${opts.netns}`, '--', bin, ...args]] : [bin, args]
    child = spawn(file, argv, { stdio: ['ignore', fd, fd], env: { ...process.env } })
  } finally {
    closeSync(fd)
  }
  liveChildren.add(child)
  if (opts.unref) child.unref()
  let ended: number | string | undefined
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child)
      ended = code ?? signal ?? 'unknown'
      resolve(ended)
    })
    child.once('error', (err) => {
      liveChildren.delete(child)
      ended = `spawn failed: ${err.message}`
      resolve(ended)
    })
  })
  const logTail = (lines = 30): string => {
    try {
      return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log)'
    }
  }
  const stop = async (): Promise<void> => {
    if (ended !== undefined) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  return { name, pid: child.pid, logPath, exited, exit: () => ended, logTail, stop }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

export interface HttpsGetOptions {
  ca: string
  token?: string
}

/** GET over TLS verified against `ca`; resolves with the status and body, never throws on HTTP errors. */
export function httpsGet(url: string, opts: HttpsGetOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {}
    const req = request(url, { ca: opts.ca, headers, timeout: 5_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/**
 * Polls `check` until it returns true; fails at once with the process log when `proc` dies, and
 * after `timeoutMs` otherwise (with the log too).
 */
export async function waitForProcess(proc: KubeProcess, what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    const ended = proc.exit()
    if (ended !== undefined) throw new StopPolling(`${proc.name} exited (${ended}) before ${what}:\n${proc.logTail()}`)
    return (await check()) || undefined
  }, timeoutMs, () => `${proc.name} ${what}:\n${proc.logTail()}`)
}
