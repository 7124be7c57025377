// `npm run bench:api`: authenticated `GET /api/v1/tenants/{t}/clusters/{name}` (with --all, every
// authenticated read route) on a real Kupe server backed by PostgreSQL, against a Fastify
// hello-world measured in the same run with the same load (connections, duration), so the
// ratio means something on whatever machine runs it.
//
// PostgreSQL: KUPE_BENCH_DATABASE_URL, else a throwaway one from scripts/start-postgres.sh.
// Both servers run as child processes (the load generator stays in this one); rate limits are
// effectively off and the request log is at "warn". Knobs: BENCH_CONNECTIONS (default 32),
// BENCH_DURATION seconds per run (default 10, 4 with --all), BENCH_ROUNDS alternating hello/kupe
// rounds (default 3), BENCH_TARGET ratio (default 0.4), --strict (exit 1 when any route is below
// target), --all (every authenticated read route, /healthz and /plans, each paired with a
// hello-world run just before it; a route's ratio is the median over its rounds: issue #10),
// BENCH_ROUTES (a regular expression: only the routes whose label matches).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Result } from 'autocannon'
import { eventually } from '../test/helpers/eventually.js'
import { cleanups, cpuSecondsOf, freePort, freshPostgresDatabase, runCleanups, startChild, startHelloWorld } from './processes.js'
import { median } from './stats.js'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const TARGET = Number(process.env.BENCH_TARGET ?? 0.4)
const STRICT = process.argv.includes('--strict')
/** Every authenticated read route, /healthz and /plans, not only the cluster GET. */
const ALL = process.argv.includes('--all')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
/** With --all, shorter runs: three rounds over 22 routes, each paired with a baseline run. */
const DURATION = Number(process.env.BENCH_DURATION ?? (ALL ? 4 : 10))
/** Only the routes whose label matches (a regular expression), e.g. to profile one. */
const ONLY = process.env.BENCH_ROUTES ? new RegExp(process.env.BENCH_ROUTES) : undefined





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

async function startKupe(databaseUrl: string): Promise<{ url: string; adminToken: string; pid: number | undefined }> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'kupe-bench-data-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const adminToken = `kupeadm_${randomBytes(24).toString('base64url')}`
  // BENCH_KUPE_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUPE_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = startChild('kupe server', [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'server'], {
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
  return { url, adminToken, pid: child.process.pid }
}


/** A load run, and the serving process's CPU microseconds per request during it (Linux). */
interface Run {
  result: Result
  cpuMicros: number | undefined
}

async function measure(label: string, url: string, pid: number | undefined, headers: Record<string, string> = {}): Promise<Run> {
  // A short warm-up (JIT, connection pools), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers })
  const cpuBefore = cpuSecondsOf(pid)
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  const cpuAfter = cpuSecondsOf(pid)
  const served = r['2xx'] + r.non2xx
  const cpuMicros = cpuBefore === undefined || cpuAfter === undefined || served === 0 ? undefined : ((cpuAfter - cpuBefore) * 1e6) / served
  process.stdout.write(
    `${label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   ${cpuMicros === undefined ? '' : `${cpuMicros.toFixed(0)} µs CPU/req   `}${r['2xx']} ok, ${r.non2xx} non-2xx, ${r.errors} errors\n`,
  )
  return { result: r, cpuMicros }
}

/** The server's read-cache counters (decision 0008), to show how the measured GETs were served. */
async function cacheLookups(base: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const count = (result: string) => Number(new RegExp(`^kupe_read_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return { hit: count('hit'), miss: count('miss') }
}

/** One measured route: what the table calls it, its URL, and the token it is read with. */
interface Route {
  label: string
  url: string
  token?: string
}

/**
 * A tenant with something in every resource a read route serves: a Running cluster, a vault
 * value and a managed secret on it, a second member, a live cluster credential, a credit.
 */
async function seed(base: string, adminToken: string): Promise<{ key: string; tenant: string; cluster: string }> {
  const tenant = 'bench'
  const created = await api<{ apiKey: { key: string } }>(base, 'POST', '/api/v1/admin/tenants', adminToken, {
    name: tenant, contactEmail: 'billing@bench.example.com', owner: 'owner@bench.example.com', plan: 'pro',
  })
  const key = created.apiKey.key
  const t = `/api/v1/tenants/${tenant}`
  await api(base, 'POST', `${t}/clusters`, key, { name: 'web', resources: { cpu: '2', memory: '4Gi' } })
  await eventually(async () => ((await api<{ status: { phase: string } }>(base, 'GET', `${t}/clusters/web`, key)).status.phase === 'Running' ? true : undefined), 180_000, 'cluster Running', 50)
  if (ALL) {
    await api(base, 'PUT', `${t}/vault/app/db`, key, { data: { username: 'app', password: 'bench-secret' } })
    await api(base, 'POST', `${t}/secrets`, key, { name: 'db', secretPath: 'app/db', sync: [{ cluster: 'web', namespace: 'default' }] })
    await api(base, 'POST', `${t}/members`, key, { email: 'dev@bench.example.com', role: 'readonly' })
    await api(base, 'POST', `${t}/clusters/web/credentials`, key, {})
    await api(base, 'POST', `/api/v1/admin/tenants/${tenant}/credits`, adminToken, { amount: '10.00', reason: 'bench' })
  }
  return { key, tenant, cluster: 'web' }
}

/** The primary route (issue #2), and with --all every authenticated read route plus /healthz and /plans. */
function routesOf(base: string, adminToken: string, key: string, tenant: string): Route[] {
  const t = `/api/v1/tenants/${tenant}`
  const asTenant = (label: string, path: string): Route => ({ label: `GET ${label}`, url: `${base}${t}${path}`, token: key })
  const asAdmin = (label: string, path: string): Route => ({ label: `GET ${label}`, url: `${base}${path.replace('{t}', tenant)}`, token: adminToken })
  const primary = asTenant('/api/v1/tenants/{t}/clusters/{name}', '/clusters/web')
  if (!ALL) return [primary]
  const month = new Date().toISOString().slice(0, 7)
  return [
    primary,
    { label: 'GET /healthz', url: `${base}/healthz` },
    { label: 'GET /api/v1/plans', url: `${base}/api/v1/plans` },
    { label: 'GET /api/v1/plans/{name}', url: `${base}/api/v1/plans/pro` },
    asTenant('/api/v1/tenants/{t}', ''),
    asTenant('…/clusters', '/clusters'),
    asTenant('…/clusters/{name}/kubeconfig', '/clusters/web/kubeconfig'),
    asTenant('…/clusters/{name}/credentials', '/clusters/web/credentials'),
    asTenant('…/secrets', '/secrets'),
    asTenant('…/secrets/{name}', '/secrets/db'),
    asTenant('…/vault', '/vault'),
    asTenant('…/vault/{path}', '/vault/app/db'),
    asTenant('…/members', '/members'),
    asTenant('…/apikeys', '/apikeys'),
    asTenant('…/invoices', '/invoices'),
    asTenant('…/invoices/{current month} (Draft)', `/invoices/${month}`),
    asAdmin('/api/v1/admin/tenants', '/api/v1/admin/tenants'),
    asAdmin('/api/v1/admin/tenants/{t}', '/api/v1/admin/tenants/{t}'),
    asAdmin('/api/v1/admin/tenants/{t}/credits', '/api/v1/admin/tenants/{t}/credits'),
    asAdmin('/v1/usage/snapshot', '/v1/usage/snapshot'),
    asAdmin('/v1/invoices/{t}', '/v1/invoices/{t}'),
    asAdmin('/v1/analytics/summary', '/v1/analytics/summary'),
  ]
}

async function main(): Promise<void> {
  process.stdout.write(`bench:api — ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} round(s), Node ${process.version}\n`)
  const databaseUrl = await freshPostgresDatabase('kupe_bench')
  const kupe = await startKupe(databaseUrl)
  const { key, tenant } = await seed(kupe.url, kupe.adminToken)
  const routes = routesOf(kupe.url, kupe.adminToken, key, tenant).filter((r) => !ONLY || ONLY.test(r.label))
  const hello = await startHelloWorld()

  // Each route run right after a hello-world run: the machine is shared, and its load moves
  // within seconds, so each ratio is of a route to the baseline measured next to it. Rounds go
  // over every route in turn, so a route's pairs are minutes apart, and its ratio is their
  // median: one pair that caught a burst of someone else's work does not decide it.
  const runs = new Map<Route, Array<{ kupe: Run; hello: Run }>>(routes.map((r) => [r, []]))
  const lookupsBefore = await cacheLookups(kupe.url)
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) process.stdout.write(`round ${round}/${ROUNDS}\n`)
    for (const route of routes) {
      const baseline = await measure('fastify hello-world GET /', hello.url, hello.pid)
      const headers: Record<string, string> = route.token ? { authorization: `Bearer ${route.token}` } : {}
      runs.get(route)!.push({ hello: baseline, kupe: await measure(route.label, route.url, kupe.pid, headers) })
    }
  }
  const lookups = await cacheLookups(kupe.url)
  const hit = lookups.hit - lookupsBefore.hit
  const miss = lookups.miss - lookupsBefore.miss
  process.stdout.write(`read cache during the kupe runs: ${hit} hits, ${miss} misses (${((100 * hit) / Math.max(1, hit + miss)).toFixed(1)} % hits)\n\n`)

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  // The target is on throughput (req/s against hello-world's). The CPU columns say why a ratio is
  // what it is: each server's CPU per request, and hello-world's over Kupe's — the throughput
  // ratio a server that had a core to itself would reach, whatever else ran on the machine.
  process.stdout.write(`${'route'.padEnd(48)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)} ${'hello'.padStart(8)} ${'ratio'.padStart(6)} ${'µs/req'.padStart(7)} ${'hello'.padStart(6)} ${'cpu ratio'.padStart(9)}\n`)
  let below = 0
  for (const [route, rs] of runs) {
    const ratio = median(rs.map((r) => r.kupe.result.requests.average / r.hello.result.requests.average))
    if (ratio < TARGET) below++
    const cpu = rs.every((r) => r.kupe.cpuMicros !== undefined && r.hello.cpuMicros !== undefined)
      ? { kupe: median(rs.map((r) => r.kupe.cpuMicros!)), hello: median(rs.map((r) => r.hello.cpuMicros!)) }
      : undefined
    const cells = [
      mean(rs.map((r) => r.kupe.result.requests.average)).toFixed(0).padStart(8),
      mean(rs.map((r) => r.kupe.result.latency.p99)).toFixed(0).padStart(7),
      mean(rs.map((r) => r.hello.result.requests.average)).toFixed(0).padStart(8),
      ratio.toFixed(2).padStart(6),
      cpu ? cpu.kupe.toFixed(0).padStart(7) : '-'.padStart(7),
      cpu ? cpu.hello.toFixed(0).padStart(6) : '-'.padStart(6),
      cpu ? (cpu.hello / cpu.kupe).toFixed(2).padStart(9) : '-'.padStart(9),
    ]
    process.stdout.write(`${route.label.padEnd(48)} ${cells.join(' ')}${ratio >= TARGET ? '' : '  BELOW TARGET'}\n`)
  }
  process.stdout.write(`target: every ratio ≥ ${TARGET}; ${below === 0 ? 'all met' : `${below} below`}\n`)
  const failed = [...runs].filter(([, rs]) => rs.some((r) => r.kupe.result.non2xx > 0 || r.kupe.result.errors > 0)).map(([route]) => route.label)
  if (failed.length > 0) throw new Error(`routes answered with errors: ${failed.join(', ')}`)
  if (STRICT && below > 0) process.exitCode = 1
}

try {
  await main()
} catch (err) {
  process.stderr.write(`bench:api failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  await runCleanups()
}
