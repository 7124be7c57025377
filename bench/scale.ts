// `npm run bench:scale`: cost that grows with the work (issue #14). A real Kupe server with the
// simulated provider (KUPE_SIMULATED_STEP_SECONDS=1) and rate limits off; 16 concurrent clients
// create N tenants through `POST /api/v1/admin/tenants`, each with 5 clusters; at each N the
// bench prints the seed throughput (writes/s), waits until every cluster is Running, measures
// the share of a core the server uses while nobody calls it for 10 s, then
// each read's throughput (cluster GET, tenant GET, cluster list) against a Fastify hello-world
// run next to it, then its p50/p99 latency at a fixed offered rate (BENCH_LATENCY_LOAD, default
// 0.1, of its throughput at the first N, the same rate at every N; the median of
// BENCH_LATENCY_ROUNDS runs, default 3), and the server's memory per
// 1,000 tenants. N grows in one server: 10, then to 1,000, then to 10,000 (`--n 10,1000` picks
// the levels).
//
// Engines: embedded PGlite always (`--engine pglite,postgres` picks); PostgreSQL with
// `--engine postgres` or when KUPE_BENCH_DATABASE_URL is set (a fresh database is created on that
// server; without it a throwaway one from scripts/start-postgres.sh); there the reads at each N
// start after a VACUUM ANALYZE of the seeded rows, with no autovacuum running (the time is
// printed). Knobs: BENCH_CLIENTS
// (seeding clients, 16), BENCH_CONNECTIONS (read load, 32), BENCH_DURATION (seconds per read
// run, 5), BENCH_LATENCY_LOAD, BENCH_LATENCY_ROUNDS, BENCH_KUPE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// --strict (exit 1 when a target is missed). Targets: seed throughput at the largest N ≥ 0.8× the smallest N's;
// every read's p99 (at its fixed rate) at the largest N ≤ 1.2× its smallest N's; tenant GET
// throughput ≥ 0.4× hello-world's at every N.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Options, type Result } from 'autocannon'
import { eventually } from '../test/helpers/eventually.js'
import { median } from './stats.js'
import { cleanups, freePort, freshPostgresDatabase, runCleanups, startChild, startHelloWorld, vacuumAfterLoad } from './processes.js'

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const DURATION = Number(process.env.BENCH_DURATION ?? 5)
/** The latency runs' offered rate, as a share of each read's throughput at the first N. */
const LATENCY_LOAD = Number(process.env.BENCH_LATENCY_LOAD ?? 0.1)
/** Latency runs per read and N; the figures are their medians. */
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3)
const CLUSTERS_PER_TENANT = 5
/** Seconds the server is left alone at each N to measure what it costs idle. */
const IDLE_SECONDS = 10
const STRICT = process.argv.includes('--strict')

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const LEVELS = (flag('--n') ?? '10,1000,10000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0).sort((a, b) => a - b)
// PGlite first: PostgreSQL's server (and its database of N tenants, which autovacuum works on)
// stays up until the bench ends, and would share the machine with a PGlite run after it.
const ENGINES = (flag('--engine') ?? (process.env.KUPE_BENCH_DATABASE_URL ? 'pglite,postgres' : 'pglite'))
  .split(',').sort((a, b) => (a === 'pglite' ? -1 : b === 'pglite' ? 1 : 0)) as Array<'pglite' | 'postgres'>

const out = (line: string) => process.stdout.write(`${line}\n`)




async function api<T>(base: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    // A 503 (database busy) is retried like a client would; anything else is a failure.
    if (res.status === 503 && attempt < 5) continue
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
}

interface Kupe {
  url: string
  adminToken: string
  stop(): Promise<void>
}

async function startKupe(databaseUrl: string | undefined): Promise<Kupe> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'kupe-scale-data-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const adminToken = `kupeadm_${randomBytes(24).toString('base64url')}`
  const nodeArgs = (process.env.BENCH_KUPE_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = startChild('kupe server', [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'server'], {
    KUPE_LISTEN: `127.0.0.1:${port}`,
    KUPE_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    KUPE_PROVIDER: 'simulated',
    KUPE_ADMIN_TOKEN: adminToken,
    KUPE_MASTER_KEY: randomBytes(32).toString('base64'),
    KUPE_RATE_LIMIT: '1000000000',
    KUPE_RATE_BURST: '1000000000',
    KUPE_SIMULATED_STEP_SECONDS: '1',
    KUPE_LOG_LEVEL: 'warn',
  })
  const url = `http://127.0.0.1:${port}`
  await eventually(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 180_000, 'kupe /readyz', 50)
  return { url, adminToken, stop: child.stop }
}


const tenantName = (i: number) => `t${String(i).padStart(5, '0')}`
const clusterName = (j: number) => `c${j}`

/** Creates tenants [from, to) with their clusters from CLIENTS concurrent clients; returns writes and seconds. */
async function seed(kupe: Kupe, keys: string[], from: number, to: number, engine: string): Promise<{ writes: number; seconds: number }> {
  let next = from
  let writes = 0
  const started = performance.now()
  // A line per 1,000 tenants, with the rate over that stretch: the rate as N grows, and progress.
  let mark = { at: started, writes: 0 }
  let done = from
  const progress = () => {
    if (++done % 1000 !== 0 || done === to) return
    const now = performance.now()
    out(`[${engine}]   ${done} tenants: ${(((writes - mark.writes) * 1000) / (now - mark.at)).toFixed(0)} writes/s over the last ${writes - mark.writes} writes`)
    mark = { at: now, writes }
  }
  const client = async () => {
    for (let i = next++; i < to; i = next++) {
      const name = tenantName(i)
      const created = await api<{ apiKey: { key: string } }>(kupe.url, 'POST', '/api/v1/admin/tenants', kupe.adminToken, {
        name, contactEmail: `billing@${name}.example.com`, owner: `owner@${name}.example.com`, plan: 'pro',
      })
      writes++
      keys[i] = created.apiKey.key
      for (let j = 1; j <= CLUSTERS_PER_TENANT; j++) {
        await api(kupe.url, 'POST', `/api/v1/tenants/${name}/clusters`, created.apiKey.key, { name: clusterName(j), resources: { cpu: '1', memory: '2Gi' } })
        writes++
      }
      progress()
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, client))
  return { writes, seconds: (performance.now() - started) / 1000 }
}

/**
 * One tenant with five clusters before anything is measured, so that the first level does not
 * measure module loading and JIT compilation (it is not counted in N).
 */
async function warmUp(kupe: Kupe): Promise<void> {
  const created = await api<{ apiKey: { key: string } }>(kupe.url, 'POST', '/api/v1/admin/tenants', kupe.adminToken, {
    name: 'warm-up', contactEmail: 'billing@warm-up.example.com', owner: 'owner@warm-up.example.com', plan: 'pro',
  })
  const key = created.apiKey.key
  for (let j = 1; j <= CLUSTERS_PER_TENANT; j++) {
    await api(kupe.url, 'POST', '/api/v1/tenants/warm-up/clusters', key, { name: clusterName(j), resources: { cpu: '1', memory: '2Gi' } })
  }
  await eventually(async () => {
    const list = await api<{ items: Array<{ status: { phase: string } }> }>(kupe.url, 'GET', '/api/v1/tenants/warm-up/clusters', key)
    return list.items.every((c) => c.status.phase === 'Running') ? true : undefined
  }, 120_000, 'warm-up clusters Running', 200)
  for (const path of ['', '/clusters', '/clusters/c1']) await api(kupe.url, 'GET', `/api/v1/tenants/warm-up${path}`, key)
}

/** Every cluster of tenants [0, n) Running: seconds it took after seeding, and how many were. */
async function allRunning(kupe: Kupe, keys: string[], n: number): Promise<{ seconds: number; running: number }> {
  const started = performance.now()
  const pending = new Set(Array.from({ length: n }, (_, i) => i))
  let running = 0
  const deadline = started + 60 * 60_000
  while (pending.size > 0) {
    if (performance.now() > deadline) throw new Error(`${pending.size} tenants still have clusters that are not Running after an hour`)
    const batch = [...pending]
    let cursor = 0
    const client = async () => {
      for (let k = cursor++; k < batch.length; k = cursor++) {
        const i = batch[k]!
        const list = await api<{ items: Array<{ status: { phase: string } }> }>(kupe.url, 'GET', `/api/v1/tenants/${tenantName(i)}/clusters`, keys[i]!)
        const up = list.items.filter((c) => c.status.phase === 'Running').length
        if (up === CLUSTERS_PER_TENANT && list.items.length === CLUSTERS_PER_TENANT) {
          pending.delete(i)
          running += up
        }
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client))
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500))
  }
  return { seconds: (performance.now() - started) / 1000, running }
}

/** The tenants a read run spreads over: up to 1,000, evenly over the whole range. */
const sampleOf = (n: number) => Array.from({ length: Math.min(n, 1000) }, (_, k) => Math.floor((k * n) / Math.min(n, 1000)))

/**
 * One pass over the sample before the measured run: every tenant's entry is then in the read
 * cache, as for a tenant read more than once a refresh interval. Returns ms per cold read.
 */
async function warm(n: number, keys: string[], base: string, path: (t: string) => string): Promise<number> {
  const sample = sampleOf(n)
  let cursor = 0
  const started = performance.now()
  const client = async () => {
    for (let k = cursor++; k < sample.length; k = cursor++) await api(base, 'GET', path(tenantName(sample[k]!)), keys[sample[k]!]!)
  }
  await Promise.all(Array.from({ length: CLIENTS }, client))
  return ((performance.now() - started) * CLIENTS) / sample.length
}

/** The tenant of each next request: up to 1,000 spread over the whole range, in a fixed order. */
function tenantSpread(n: number): () => number {
  let k = 0
  const sample = Math.min(n, 1000)
  return () => Math.floor(((k++ % sample) * n) / sample)
}

/** Load on a read route over a spread of tenants (each request picks one), so N shows up in it. */
function spreadOver(n: number, keys: string[], base: string, path: (t: string) => string): Options {
  const next = tenantSpread(n)
  return {
    url: base,
    connections: CONNECTIONS,
    requests: [{
      setupRequest: (req: Record<string, unknown>) => {
        const i = next()
        return { ...req, path: path(tenantName(i)), headers: { authorization: `Bearer ${keys[i]!}` } }
      },
    }],
  }
}

/** As many requests as the server answers: its throughput (and the queue such a load builds). */
async function measure(n: number, keys: string[], base: string, path: (t: string) => string): Promise<Result> {
  const opts = spreadOver(n, keys, base, path)
  await autocannon({ ...opts, duration: 1 })
  return autocannon({ ...opts, duration: DURATION })
}

/** The q-quantile of ascending samples. */
const quantile = (sorted: number[], q: number) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN

/**
 * Latency at a fixed offered rate, the same at every N: what a client sees, not the queue a
 * saturating load builds (whose p99 is connections ÷ throughput, and so moves with whatever else
 * the machine runs that minute). Open loop, paced every millisecond (autocannon's own rate limit
 * sends each second's quota in one burst), over at most CONNECTIONS kept-alive connections; a
 * request waiting for a free connection counts that wait. Times have sub-millisecond precision
 * (autocannon's histograms are whole milliseconds, too coarse for a ±20 % comparison).
 */
async function measureLatency(n: number, keys: string[], base: string, path: (t: string) => string, rate: number): Promise<{ p50: number; p99: number; p99s: number[]; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const { hostname, port } = new URL(base)
  const next = tenantSpread(n)
  const paced = (seconds: number) => new Promise<{ samples: number[]; errors: number }>((resolve) => {
    const samples: number[] = []
    const total = Math.round(rate * seconds)
    const started = performance.now()
    let issued = 0
    let settled = 0
    let errors = 0
    const done = () => {
      if (++settled === total) resolve({ samples, errors })
    }
    const send = () => {
      const i = next()
      const sentAt = performance.now()
      const req = request({ hostname, port, path: path(tenantName(i)), agent, headers: { authorization: `Bearer ${keys[i]!}` } }, (res) => {
        res.resume()
        res.on('end', () => {
          if ((res.statusCode ?? 500) < 300) samples.push(performance.now() - sentAt)
          else errors++
          done()
        })
      })
      req.on('error', () => {
        errors++
        done()
      })
      req.end()
    }
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
      while (issued < due) {
        issued++
        send()
      }
      if (issued === total) clearInterval(tick)
    }, 1)
  })
  await paced(1)
  // Several runs, the median of each figure: one pause of the machine (another process, the
  // bench's own GC) lands in one run's tail, not in the figure, at every N alike.
  const runs: Array<{ p50: number; p99: number }> = []
  let errors = 0
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const run = await paced(DURATION)
    errors += run.errors
    run.samples.sort((a, b) => a - b)
    runs.push({ p50: quantile(run.samples, 0.5), p99: quantile(run.samples, 0.99) })
  }
  agent.destroy()
  return { p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), p99s: runs.map((r) => r.p99), errors }
}

async function measureHello(url: string): Promise<Result> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 })
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION })
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
}

/**
 * The server's read-cache counters (decision 0008) and its event-loop delay p99 in ms since the
 * previous scrape (prom-client resets that histogram at each scrape).
 */
async function cacheLookups(base: string): Promise<{ hit: number; miss: number; lagMs: number }> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const count = (result: string) => Number(new RegExp(`^kupe_read_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  const lag = Number(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text)?.[1] ?? Number.NaN)
  return { hit: count('hit'), miss: count('miss'), lagMs: lag * 1000 }
}

/**
 * The share of one core the server uses while nobody calls it (seconds of CPU per second over
 * `seconds`): what its controllers, timers and garbage collector cost by themselves at this N.
 */
async function idleCpu(base: string, seconds: number): Promise<number> {
  const before = await metric(base, 'process_cpu_seconds_total')
  const started = performance.now()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  return ((await metric(base, 'process_cpu_seconds_total')) - before) / ((performance.now() - started) / 1000)
}

/** The sum of a counter over all its labels (reconciles of every controller and result). */
async function counterSum(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  let sum = 0
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1])
  return sum
}

interface Level {
  n: number
  writesPerSecond: number
  /** Reconciles (every controller) per API write, from seeding until every cluster ran. */
  reconcilesPerWrite: number
  converge: number
  running: number
  /** Share of a core the server used, idle, once every cluster ran (before the reads). */
  idleCpu: number
  /** Mean of the hello-world runs, each right before one read's run. */
  hello: number
  /**
   * `rps`: throughput under a saturating load; `hello`: the hello-world run right before it (the
   * machine's load moves within seconds); `p50`/`p99` (ms): latency at the read's fixed `rate`.
   */
  reads: Record<ReadName, { rps: number; hello: number; rate: number; p50: number; p99: number; errors: number }>
  rssMiB: number
  heapMiB: number
  /** What the read cache holds (its own estimate of the values' size; capped at 64 MiB). */
  cacheMiB: number
}
type ReadName = 'cluster GET' | 'tenant GET' | 'cluster list'
const READS: Array<[ReadName, (t: string) => string]> = [
  ['cluster GET', (t) => `/api/v1/tenants/${t}/clusters/${clusterName(3)}`],
  ['tenant GET', (t) => `/api/v1/tenants/${t}`],
  ['cluster list', (t) => `/api/v1/tenants/${t}/clusters`],
]

async function runEngine(engine: 'pglite' | 'postgres', hello: string): Promise<Level[]> {
  const databaseUrl = engine === 'postgres' ? await freshPostgresDatabase('kupe_scale') : undefined
  const kupe = await startKupe(databaseUrl)
  const keys: string[] = []
  const levels: Level[] = []
  await warmUp(kupe)
  let seeded = 0
  const rates: Partial<Record<ReadName, number>> = {}
  for (const n of LEVELS) {
    const reconcilesBefore = await counterSum(kupe.url, 'kupe_reconcile_total')
    const s = await seed(kupe, keys, seeded, n, engine)
    seeded = n
    const writesPerSecond = s.writes / s.seconds
    out(`[${engine}] N=${n}: seeded ${s.writes} writes in ${s.seconds.toFixed(1)} s (${writesPerSecond.toFixed(0)} writes/s)`)
    const r = await allRunning(kupe, keys, n)
    const reconcilesPerWrite = ((await counterSum(kupe.url, 'kupe_reconcile_total')) - reconcilesBefore) / s.writes
    out(`[${engine}] N=${n}: ${r.running}/${n * CLUSTERS_PER_TENANT} clusters Running, ${r.seconds.toFixed(1)} s after seeding ended; ${reconcilesPerWrite.toFixed(1)} reconciles per write`)
    if (databaseUrl) out(`[${engine}] N=${n}: VACUUM ANALYZE of the seeded rows, then no autovacuum running: ${(await vacuumAfterLoad(databaseUrl)).toFixed(0)} s; reads measured after it`)
    const idle = await idleCpu(kupe.url, IDLE_SECONDS)
    out(`[${engine}] N=${n}: idle for ${IDLE_SECONDS} s, the server used ${(idle * 100).toFixed(1)} % of a core`)
    const reads = {} as Level['reads']
    for (const [name, path] of READS) {
      const coldMs = await warm(n, keys, kupe.url, path)
      const helloRun = await measureHello(hello)
      const before = await cacheLookups(kupe.url)
      const res = await measure(n, keys, kupe.url, path)
      // The latency run's rate: a fixed share of this read's throughput at the first N, kept for every N.
      rates[name] ??= Math.max(10, Math.round(LATENCY_LOAD * res.requests.average))
      const latency = await measureLatency(n, keys, kupe.url, path, rates[name])
      const after = await cacheLookups(kupe.url)
      const lagP99 = after.lagMs
      const hits = after.hit - before.hit
      const misses = after.miss - before.miss
      reads[name] = {
        rps: res.requests.average, hello: helloRun.requests.average, rate: rates[name], p50: latency.p50, p99: latency.p99,
        errors: res.non2xx + res.errors + latency.errors,
      }
      out(`[${engine}] N=${n}: hello-world ${helloRun.requests.average.toFixed(0)} req/s, then`)
      out(`[${engine}] N=${n}: ${name.padEnd(12)} ${res.requests.average.toFixed(0).padStart(7)} req/s (p99 ${res.latency.p99} ms)  at ${rates[name]} req/s: p50 ${latency.p50.toFixed(2)} ms  p99 ${latency.p99.toFixed(2)} ms (runs ${latency.p99s.map((p) => p.toFixed(2)).join(', ')})  ${res.non2xx + latency.errors} non-2xx ${res.errors} errors; cold read ${coldMs.toFixed(1)} ms; read cache ${hits} hits ${misses} misses; event-loop delay p99 ${lagP99.toFixed(1)} ms`)
    }
    const helloMean = READS.reduce((a, [r]) => a + reads[r].hello, 0) / READS.length
    levels.push({
      n, writesPerSecond, reconcilesPerWrite, converge: r.seconds, running: r.running, idleCpu: idle, hello: helloMean, reads,
      rssMiB: (await metric(kupe.url, 'process_resident_memory_bytes')) / 2 ** 20,
      heapMiB: (await metric(kupe.url, 'nodejs_heap_size_used_bytes')) / 2 ** 20,
      cacheMiB: (await metric(kupe.url, 'kupe_read_cache_bytes')) / 2 ** 20,
    })
  }
  await kupe.stop()
  return levels
}

function report(engine: string, levels: Level[]): number {
  const first = levels[0]!
  const last = levels.at(-1)!
  const cols = ['N', 'writes/s', 'reconciles/write', 'Running', 'conv s', 'idle CPU %', 'hello r/s', ...READS.flatMap(([r]) => [`${r} r/s`, `p50 · p99 ms at ${first.reads[r].rate} r/s`]), 'tGET/hello', 'RSS MiB', 'heap MiB', 'cache MiB']
  out('')
  out(`${engine}:`)
  out(`| ${cols.join(' | ')} |`)
  out(`|${cols.map(() => '---:').join('|')}|`)
  for (const l of levels) {
    const cells = [
      String(l.n), l.writesPerSecond.toFixed(0), l.reconcilesPerWrite.toFixed(1), `${l.running}/${l.n * CLUSTERS_PER_TENANT}`, l.converge.toFixed(1), (l.idleCpu * 100).toFixed(1), l.hello.toFixed(0),
      ...READS.flatMap(([r]) => [l.reads[r].rps.toFixed(0), `${l.reads[r].p50.toFixed(2)} · ${l.reads[r].p99.toFixed(2)}`]),
      (l.reads['tenant GET'].rps / l.reads['tenant GET'].hello).toFixed(2), l.rssMiB.toFixed(0), l.heapMiB.toFixed(0), l.cacheMiB.toFixed(0),
    ]
    out(`| ${cells.join(' | ')} |`)
  }
  let missed = 0
  const check = (ok: boolean, what: string) => {
    if (!ok) missed++
    out(`  ${ok ? 'ok  ' : 'MISS'} ${what}`)
  }
  if (levels.length > 1) {
    const seedRatio = last.writesPerSecond / first.writesPerSecond
    check(seedRatio >= 0.8, `seed throughput N=${last.n} / N=${first.n} = ${seedRatio.toFixed(2)} (target ≥ 0.8)`)
    for (const [r] of READS) {
      const ratio = last.reads[r].p99 / first.reads[r].p99
      check(ratio <= 1.2, `${r} p99 at ${first.reads[r].rate} req/s, N=${last.n} / N=${first.n} = ${ratio.toFixed(2)} (${last.reads[r].p99.toFixed(2)} / ${first.reads[r].p99.toFixed(2)} ms; target ≤ 1.2)`)
    }
    const perThousand = ((last.rssMiB - first.rssMiB) / (last.n - first.n)) * 1000
    const heapPerThousand = ((last.heapMiB - first.heapMiB) / (last.n - first.n)) * 1000
    out(`  server memory per 1,000 tenants: ${perThousand.toFixed(1)} MiB RSS, ${heapPerThousand.toFixed(1)} MiB JS heap`)
  }
  for (const l of levels) {
    check(l.reads['tenant GET'].rps / l.reads['tenant GET'].hello >= 0.4, `tenant GET / hello-world at N=${l.n} = ${(l.reads['tenant GET'].rps / l.reads['tenant GET'].hello).toFixed(2)} (target ≥ 0.4)`)
    check(l.running === l.n * CLUSTERS_PER_TENANT, `every cluster Running at N=${l.n}`)
    const errors = READS.reduce((a, [r]) => a + l.reads[r].errors, 0)
    if (errors > 0) check(false, `${errors} read errors at N=${l.n}`)
  }
  return missed
}

async function main(): Promise<void> {
  out(`bench:scale — N ${LEVELS.join(', ')}; engines ${ENGINES.join(', ')}; ${CLIENTS} seeding clients, ${CLUSTERS_PER_TENANT} clusters per tenant; reads ${CONNECTIONS} connections × ${DURATION} s; Node ${process.version}`)
  const { url: hello } = await startHelloWorld()
  let missed = 0
  const results: Array<[string, Level[]]> = []
  for (const engine of ENGINES) results.push([engine, await runEngine(engine, hello)])
  for (const [engine, levels] of results) missed += report(engine, levels)
  out(missed === 0 ? 'every target met' : `${missed} target(s) missed`)
  if (STRICT && missed > 0) process.exitCode = 1
}

try {
  await main()
} catch (err) {
  process.stderr.write(`bench:scale failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  await runCleanups()
}
