import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'

/** A long-running program of the local provider: etcd or one tenant's kube-apiserver. */
export interface ProcessSpec {
  /** Base name of its log and pid files in `dir`. */
  name: string
  bin: string
  args: string[]
  /** Its working directory; the command line names it, which is how an orphan is recognised. */
  dir: string
}

export interface ProcessStatus {
  running: boolean
  pid?: number
  /** Crashes since it last ran long enough to count as healthy. */
  crashes: number
  /** How it last ended without being asked to, with the end of its log. */
  lastExit?: { code: number | string; logTail: string }
}

export interface SupervisorEvents {
  /** A process ended without being asked to; it is started again after a backoff. */
  crashed(key: string): void
  /** A crashed process was started again. */
  restarted(key: string): void
}

interface Entry {
  spec: ProcessSpec
  child?: ChildProcess
  exited?: Promise<void>
  /** 0 until first launched. */
  startedAt: number
  crashes: number
  lastExit?: ProcessStatus['lastExit']
  restartTimer?: NodeJS.Timeout
  stopping: boolean
}

/** A process that stayed up this long was healthy: its next crash starts the backoff afresh. */
const HEALTHY_RUN_MS = 60_000
const MAX_BACKOFF_MS = 30_000
const STOP_GRACE_MS = 10_000

const sameSpec = (a: ProcessSpec, b: ProcessSpec) => a.bin === b.bin && a.dir === b.dir && a.args.join('\0') === b.args.join('\0')

function logTail(path: string, redact: (text: string) => string, lines = 15): string {
  try {
    return redact(readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'))
  } catch {
    return ''
  }
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')

/**
 * Keeps the local provider's processes running: each under a key, restarted with exponential
 * backoff when it crashes, stopped on request (SIGTERM, then SIGKILL). A pid file per process
 * lets the next server start end an orphan a crashed server left behind, so a port is never
 * held by a process nobody supervises. Everything still running is killed when this process
 * exits for any reason.
 */
export class ProcessSupervisor {
  private readonly entries = new Map<string, Entry>()
  private readonly locks = new Map<string, Promise<void>>()
  private exitHook = false
  private readonly killAllNow = () => {
    for (const e of this.entries.values()) e.child?.kill('SIGKILL')
  }

  /**
   * `redact` cleans log lines before they leave the process's own log file (into Kupe's log and
   * into status messages): a process may log URLs that carry a secret.
   */
  constructor(
    private readonly logger: Logger,
    private readonly events: SupervisorEvents,
    private readonly redact: (text: string) => string = (t) => t,
  ) {}

  /** Runs `spec` under `key`: starts it when absent, restarts it when the spec changed, else leaves it be. */
  ensure(key: string, spec: ProcessSpec): Promise<void> {
    return this.serialised(key, async () => {
      const entry = this.entries.get(key)
      if (entry && sameSpec(entry.spec, spec)) return // running, or waiting for its restart
      if (entry) await this.stopEntry(key, entry)
      const fresh: Entry = { spec, startedAt: 0, crashes: 0, stopping: false }
      this.entries.set(key, fresh)
      await this.killOrphan(spec)
      this.launch(key, fresh)
    })
  }

  /** SIGKILL to everything at once, synchronously (a process about to die without cleaning up). */
  killNow(): void {
    this.killAllNow()
  }

  /** Whether `key` is supervised with exactly this spec (running or about to be restarted). */
  has(key: string, spec: ProcessSpec): boolean {
    const e = this.entries.get(key)
    return e !== undefined && sameSpec(e.spec, spec)
  }

  status(key: string): ProcessStatus | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    return { running: e.child !== undefined, pid: e.child?.pid, crashes: e.crashes, lastExit: e.lastExit }
  }

  stop(key: string): Promise<void> {
    return this.serialised(key, async () => {
      const entry = this.entries.get(key)
      if (entry) await this.stopEntry(key, entry)
    })
  }

  /** Stops everything; `last` keys (etcd) after all the others. */
  async stopAll(last: string[] = []): Promise<void> {
    const first = [...this.entries.keys()].filter((k) => !last.includes(k))
    await Promise.all(first.map((k) => this.stop(k)))
    for (const k of last) await this.stop(k)
    if (this.exitHook) process.removeListener('exit', this.killAllNow)
    this.exitHook = false
  }

  private async serialised(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.locks.get(key) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.catch(() => undefined)
    this.locks.set(key, settled)
    try {
      await next
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key)
    }
  }

  private pidFile(spec: ProcessSpec): string {
    return join(spec.dir, `${spec.name}.pid`)
  }

  /** Ends a process of ours a previous server left running (its command line names our directory). */
  async killOrphan(spec: ProcessSpec): Promise<void> {
    const path = this.pidFile(spec)
    if (!existsSync(path)) return
    const pid = Number(readFileSync(path, 'utf8').trim())
    rmSync(path, { force: true })
    if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    } catch {
      return
    }
    if (!cmdline.includes(spec.dir)) return
    this.logger.warn({ pid, process: spec.name }, 'ending a process a previous server left running')
    process.kill(pid, 'SIGKILL')
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(50)
  }

  private launch(key: string, entry: Entry): void {
    if (!this.exitHook) {
      process.on('exit', this.killAllNow)
      this.exitHook = true
    }
    const { spec } = entry
    const logPath = join(spec.dir, `${spec.name}.log`)
    // A restart appends, so the lines that led to the crash are still there to read afterwards.
    const fd = openSync(logPath, entry.startedAt === 0 ? 'w' : 'a', 0o600)
    let child: ChildProcess
    try {
      child = spawn(spec.bin, spec.args, { cwd: spec.dir, stdio: ['ignore', fd, fd] })
    } finally {
      closeSync(fd)
    }
    entry.child = child
    entry.startedAt = performance.now()
    if (child.pid !== undefined) writeFileSync(this.pidFile(spec), `${child.pid}\n`, { mode: 0o600 })
    entry.exited = new Promise<void>((resolve) => {
      let ended = false
      const onEnd = (code: number | string) => {
        if (ended) return
        ended = true
        if (entry.child === child) entry.child = undefined
        resolve()
        if (entry.stopping || this.entries.get(key) !== entry) return
        this.crashed(key, entry, code, logPath)
      }
      child.once('exit', (code, signal) => onEnd(code ?? signal ?? 'unknown'))
      child.once('error', (err) => onEnd(`spawn failed: ${err.message}`))
    })
  }

  private crashed(key: string, entry: Entry, code: number | string, logPath: string): void {
    const ranMs = performance.now() - entry.startedAt
    entry.crashes = ranMs >= HEALTHY_RUN_MS ? 1 : entry.crashes + 1
    entry.lastExit = { code, logTail: logTail(logPath, this.redact) }
    const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (entry.crashes - 1))
    this.logger.warn({ process: entry.spec.name, key, code, restartInMs: wait, log: entry.lastExit.logTail }, 'supervised process ended; restarting it')
    this.events.crashed(key)
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined
      if (entry.stopping || this.entries.get(key) !== entry) return
      this.launch(key, entry)
      this.events.restarted(key)
    }, wait)
    entry.restartTimer.unref()
  }

  private async stopEntry(key: string, entry: Entry): Promise<void> {
    entry.stopping = true
    if (entry.restartTimer) clearTimeout(entry.restartTimer)
    const child = entry.child
    if (child) {
      child.kill('SIGTERM')
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      await entry.exited
      clearTimeout(force)
    }
    rmSync(this.pidFile(entry.spec), { force: true })
    if (this.entries.get(key) === entry) this.entries.delete(key)
  }
}
