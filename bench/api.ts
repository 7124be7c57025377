// `npm run bench:api`: authenticated `GET /api/v1/tenants/{t}/clusters/{name}` on a real Kupe
// server backed by PostgreSQL, against a Fastify hello-world measured in the same run with the
// same load (connections, duration), so the ratio means something on whatever machine runs it.
//
// PostgreSQL: KUPE_BENCH_DATABASE_URL, else a throwaway one from scripts/start-postgres.sh.
// Both servers run as child processes (the load generator stays in this one); rate limits are
// effectively off and the request log is at "warn". Knobs: BENCH_CONNECTIONS (default 32),
// BENCH_DURATION seconds per run (default 10), BENCH_ROUNDS alternating hello/kupe rounds
// (default 3), BENCH_TARGET ratio (default 0.4), --strict (exit 1 below
// target), --all (also /healthz, /plans and the tenant GET, to see where the time goes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon, { type Result } from 'autocannon'
import pg from 'pg'
import { eventually } from '../test/helpers/eventually.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const TARGET = Number(process.env.BENCH_TARGET ?? 0.4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const STRICT = process.argv.includes('--strict')
/** Also measure the pipeline without auth (/healthz) and the tenant GET, to see where time goes. */
const ALL = process.argv.includes('--all')

const cleanups: Array<() => Promise<void> | void> = []

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

function startChild(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)))
  child.on('exit', (code, signal) => {
    if (code !== null && code !== 0) process.stderr.write(`${name} exited with ${code}:\n${stderr}\n`)
    else if (signal && signal !== 'SIGTERM') process.stderr.write(`${name} killed by ${signal}\n`)
  })
  cleanups.push(() => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  }))
  return child
}

/** A PostgreSQL URL for a fresh database: the given server, or one this run starts and stops. */
async function postgres(): Promise<string> {
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
  const name = `kupe_bench_${randomBytes(4).toString('hex')}`
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

async function api<T>(base: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

async function startKupe(databaseUrl: string): Promise<{ url: string; adminToken: string }> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'kupe-bench-data-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const adminToken = `kupeadm_${randomBytes(24).toString('base64url')}`
  // BENCH_KUPE_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUPE_NODE_ARGS ?? '').split(' ').filter(Boolean)
  startChild('kupe server', [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'server'], {
    KUPE_LISTEN: `127.0.0.1:${port}`,
    KUPE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    KUPE_ADMIN_TOKEN: adminToken,
    KUPE_MASTER_KEY: randomBytes(32).toString('base64'),
    KUPE_RATE_LIMIT: '1000000000',
    KUPE_RATE_BURST: '1000000000',
    KUPE_SIMULATED_STEP_SECONDS: '0.2',
    KUPE_LOG_LEVEL: 'warn',
  })
  const url = `http://127.0.0.1:${port}`
  await eventually(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 180_000, 'kupe /readyz', 50)
  return { url, adminToken }
}

async function startHelloWorld(): Promise<string> {
  const port = await freePort()
  const source = `
    import Fastify from 'fastify'
    const app = Fastify({ logger: false })
    app.get('/', async () => ({ hello: 'world' }))
    await app.listen({ host: '127.0.0.1', port: ${port} })`
  startChild('hello-world', ['--input-type=module', '-e', source], {})
  const url = `http://127.0.0.1:${port}/`
  await eventually(async () => ((await fetch(url)).status === 200 ? true : undefined), 180_000, 'hello-world', 50)
  return url
}

async function measure(label: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  // A short warm-up (JIT, connection pools), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers })
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  process.stdout.write(
    `${label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   ${r['2xx']} ok, ${r.non2xx} non-2xx, ${r.errors} errors\n`,
  )
  return r
}

/** The server's read-cache counters (decision 0008), to show how the measured GETs were served. */
async function cacheLookups(base: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const count = (result: string) => Number(new RegExp(`^kupe_read_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return { hit: count('hit'), miss: count('miss') }
}

async function main(): Promise<void> {
  process.stdout.write(`bench:api — ${CONNECTIONS} connections, ${DURATION} s per run, Node ${process.version}\n`)
  const databaseUrl = await postgres()
  const kupe = await startKupe(databaseUrl)
  const tenant = 'bench'
  const created = await api<{ apiKey: { key: string } }>(kupe.url, 'POST', '/api/v1/admin/tenants', kupe.adminToken, {
    name: tenant, contactEmail: 'billing@bench.example.com', owner: 'owner@bench.example.com', plan: 'pro',
  })
  const key = created.apiKey.key
  await api(kupe.url, 'POST', `/api/v1/tenants/${tenant}/clusters`, key, { name: 'web', resources: { cpu: '2', memory: '4Gi' } })
  const path = `/api/v1/tenants/${tenant}/clusters/web`
  await eventually(async () => ((await api<{ status: { phase: string } }>(kupe.url, 'GET', path, key)).status.phase === 'Running' ? true : undefined), 180_000, 'cluster Running', 50)
  const hello = await startHelloWorld()

  // Alternating rounds, so that a machine getting busier or quieter during the run moves both
  // sides alike; the ratio is of the mean rates over all rounds.
  const label = `kupe GET ${path.replace(tenant, '{t}').replace('/web', '/{name}')}`
  const baselines: Result[] = []
  const measured: Result[] = []
  const lookupsBefore = await cacheLookups(kupe.url)
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) process.stdout.write(`round ${round}/${ROUNDS}\n`)
    baselines.push(await measure('fastify hello-world GET /', hello))
    measured.push(await measure(label, `${kupe.url}${path}`, { authorization: `Bearer ${key}` }))
  }
  const lookups = await cacheLookups(kupe.url)
  const hit = lookups.hit - lookupsBefore.hit
  const miss = lookups.miss - lookupsBefore.miss
  process.stdout.write(`read cache during the kupe runs: ${hit} hits, ${miss} misses (${((100 * hit) / Math.max(1, hit + miss)).toFixed(1)} % hits)\n`)
  if (ALL) {
    await measure('kupe GET /healthz', `${kupe.url}/healthz`)
    await measure('kupe GET /api/v1/plans', `${kupe.url}/api/v1/plans`)
    await measure('kupe GET /api/v1/tenants/{t}', `${kupe.url}/api/v1/tenants/${tenant}`, { authorization: `Bearer ${key}` })
  }
  const mean = (rs: Result[]) => rs.reduce((sum, r) => sum + r.requests.average, 0) / rs.length
  const ratio = mean(measured) / mean(baselines)
  process.stdout.write(`mean: kupe ${mean(measured).toFixed(0)} req/s, hello-world ${mean(baselines).toFixed(0)} req/s\n`)
  process.stdout.write(`ratio kupe / hello-world: ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}\n`)
  if (measured.some((r) => r.non2xx > 0 || r.errors > 0)) throw new Error('the measured route answered with errors')
  if (STRICT && ratio < TARGET) process.exitCode = 1
}

try {
  await main()
} catch (err) {
  process.stderr.write(`bench:api failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup()
    } catch (err) {
      process.stderr.write(`cleanup: ${String(err)}\n`)
    }
  }
}
