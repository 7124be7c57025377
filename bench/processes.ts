// What the benchmarks that run a Kupe server as a child process share: free ports, child processes
// stopped at the end, a fresh PostgreSQL database, the Fastify hello-world baseline.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { eventually } from '../test/helpers/eventually.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Run last to first by runCleanups, whatever happened. */
export const cleanups: Array<() => Promise<void> | void> = []

export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup()
    } catch (err) {
      process.stderr.write(`cleanup failed: ${String(err)}\n`)
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface Child {
  process: ChildProcess
  /** SIGTERM and wait for the exit; an exit before this is reported with the stderr tail. */
  stop(): Promise<void>
}

export function startChild(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)))
  let stopping = false
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${name} exited (code ${code}, signal ${signal}):\n${stderr}\n`)
  })
  const stop = () => new Promise<void>((resolve) => {
    stopping = true
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
  cleanups.push(stop)
  return { process: child, stop }
}

/** A PostgreSQL URL for a fresh database: on KUPE_BENCH_DATABASE_URL's server, or one this run starts and stops. */
export async function freshPostgresDatabase(prefix: string): Promise<string> {
  let base = process.env.KUPE_BENCH_DATABASE_URL
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), 'kupe-bench-pg-'))
    const port = await freePort()
    const r = spawnSync('bash', [join(ROOT, 'scripts/start-postgres.sh'), String(port), dir], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`start-postgres.sh failed:\n${r.stderr}`)
    base = r.stdout.trim()
    cleanups.push(() => {
      spawnSync('bash', [join(ROOT, 'scripts/stop-postgres.sh'), dir, '--remove'], { stdio: 'ignore' })
    })
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.end()
  })
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * Vacuums and analyzes the database, then waits (up to `timeoutMs`) until no autovacuum worker
 * runs on its server; returns the seconds it took. After a bulk load PostgreSQL would otherwise
 * vacuum and analyze the new rows in the background — whenever its next round falls due — on the
 * same cores as the server and the load generator: a read measured then measures that
 * maintenance, which a platform pays once after a load, as an operator's VACUUM ANALYZE does.
 */
export async function vacuumAfterLoad(url: string, timeoutMs = 180_000): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const started = performance.now()
  try {
    await c.query('VACUUM (ANALYZE)')
    let quiet = 0
    while (quiet < 3 && performance.now() - started < timeoutMs) {
      const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
      quiet = Number(r.rows[0]!.n) === 0 ? quiet + 1 : 0
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
  } finally {
    await c.end()
  }
  return (performance.now() - started) / 1000
}

/**
 * CPU seconds (user + system) a child process has used so far, from /proc (Linux); undefined
 * elsewhere. Read around a load run it gives the server's CPU cost per request, which, unlike
 * requests per second, does not move when something else on the machine takes a core.
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicks()
  } catch {
    return undefined
  }
}

let ticks: number | undefined
function clockTicks(): number {
  ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
  return ticks
}

/** The baseline every ratio is measured against: a Fastify hello-world in its own process. */
export async function startHelloWorld(): Promise<{ url: string; pid: number | undefined }> {
  const port = await freePort()
  const source = `
    import Fastify from 'fastify'
    const app = Fastify({ logger: false })
    app.get('/', async () => ({ hello: 'world' }))
    await app.listen({ host: '127.0.0.1', port: ${port} })`
  const child = startChild('hello-world', ['--input-type=module', '-e', source], {})
  const url = `http://127.0.0.1:${port}/`
  await eventually(async () => ((await fetch(url)).status === 200 ? true : undefined), 180_000, 'hello-world', 50)
  return { url, pid: child.process.pid }
}
