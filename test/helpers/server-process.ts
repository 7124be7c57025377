import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eventually, StopPolling } from './eventually.js'
import { freePort } from './kube-process.js'
import { freshPostgresDatabase } from './server.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Where a `kupe server` process keeps its state, so that another process can take it over after a
 * crash: the data directory (PGlite and the master key), the admin token and, when the suite runs
 * on PostgreSQL (KUPE_TEST_DATABASE_URL), a fresh database of its own.
 */
export interface ServerState {
  dataDir: string
  adminToken: string
  databaseUrl?: string
}

export async function newServerState(): Promise<ServerState> {
  const base = process.env.KUPE_TEST_DATABASE_URL
  return {
    dataDir: mkdtempSync(join(tmpdir(), 'kupe-proc-')),
    adminToken: `kupeadm_${randomBytes(24).toString('base64url')}`,
    databaseUrl: base ? await freshPostgresDatabase(base) : undefined,
  }
}

/** A real `kupe server` process (not in-process): what `kill -9` can really kill. */
export interface ServerProcess {
  url: string
  proc: ChildProcess
  exited: Promise<number | null>
  output(): string
  /** SIGKILL, then waits until the process is gone. */
  kill9(): Promise<void>
  stop(): Promise<void>
}

export async function startServerProcess(state: ServerState, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'server'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KUPE_LISTEN: `127.0.0.1:${port}`,
      KUPE_DATA_DIR: state.dataDir,
      KUPE_ADMIN_TOKEN: state.adminToken,
      DATABASE_URL: state.databaseUrl ?? '',
      KUPE_PROVIDER: 'simulated',
      KUPE_RATE_LIMIT: '1000000',
      KUPE_RATE_BURST: '1000000',
      KUPE_SIMULATED_STEP_SECONDS: '0.3',
      KUPE_RESYNC_SECONDS: '1',
      KUPE_LOG_LEVEL: 'warn',
      ...env,
    },
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-32 * 1024)
  }
  proc.stdout?.on('data', keep)
  proc.stderr?.on('data', keep)
  let gone = false
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    gone = true
    resolve(code)
  }))
  const url = `http://127.0.0.1:${port}`
  await eventually(async () => {
    if (gone) throw new StopPolling(`kupe server exited before it was ready:\n${output}`)
    const r = await fetch(`${url}/readyz`).catch(() => undefined)
    return r?.status === 200 ? true : undefined
  }, 60_000, 'kupe server ready', 100)
  return {
    url,
    proc,
    exited,
    output: () => output,
    async kill9() {
      proc.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (gone) return
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000)
      await exited
      clearTimeout(timer)
    },
  }
}
