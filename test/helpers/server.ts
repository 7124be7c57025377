import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { loadConfig, type ConfigOverrides } from '../../src/config.js'
import type { Clock } from '../../src/lib/clock.js'
import { startServer, type RunningServer } from '../../src/main.js'

/**
 * A real Kupe server on a loopback port, on the engine the suite runs against:
 * PGlite (default) or PostgreSQL when KUPE_TEST_DATABASE_URL names a server (a fresh database
 * per test server is created in it). Tests talk to it over real HTTP.
 */
export interface TestServer {
  url: string
  adminToken: string
  server: RunningServer
  dataDir: string
  /** The PostgreSQL database of this server, when the suite runs on PostgreSQL. */
  databaseUrl?: string
  /** Log lines the server wrote (JSON), for leak checks. */
  logs: string[]
  request(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>
  /** Creates a tenant as the platform admin; returns its owner's admin key. */
  createTenant(name: string, opts?: { plan?: string; owner?: string }): Promise<{ key: string; keyId: string }>
  /** Creates an API key in a tenant with an admin key; returns the raw key. */
  createKey(tenant: string, adminKey: string, role: 'admin' | 'readonly', extra?: Record<string, unknown>): Promise<{ key: string; id: string }>
  stop(): Promise<void>
}

export interface RequestOptions {
  token?: string
  body?: unknown
  /** Sent as is (no JSON encoding) when a string. */
  rawBody?: string
  headers?: Record<string, string>
}

export interface TestResponse {
  status: number
  headers: Headers
  text: string
  body: any
}

export interface TestServerOptions {
  overrides?: ConfigOverrides
  clock?: Clock
  /**
   * Restart on the state another test server left behind (crash/resume tests): its data
   * directory, admin token and database. The store is then persistent — PGlite in `dataDir`, or
   * the same PostgreSQL database — instead of in memory; start the first server with
   * `{ persistent: true }` too.
   */
  reuse?: { dataDir: string; adminToken: string; databaseUrl?: string }
  /** PGlite in the data directory rather than in memory (implied by `reuse`). */
  persistent?: boolean
}

export async function freshPostgresDatabase(baseUrl: string): Promise<string> {
  const name = `kupe_test_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: baseUrl })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'kupe-test-'))
  const adminToken = opts.reuse?.adminToken ?? `kupeadm_${randomBytes(24).toString('base64url')}`
  const pgBase = process.env.KUPE_TEST_DATABASE_URL
  const databaseUrl = opts.reuse ? opts.reuse.databaseUrl : pgBase ? await freshPostgresDatabase(pgBase) : undefined
  const persistent = opts.persistent === true || opts.reuse !== undefined
  const config = loadConfig(
    {
      listen: '127.0.0.1:0',
      dataDir,
      adminToken,
      databaseUrl,
      rateLimit: '100000',
      rateBurst: '100000',
      simulatedStepSeconds: '0.3',
      resyncSeconds: '1',
      logLevel: 'info',
      ...opts.overrides,
    },
    {},
  )
  const logs: string[] = []
  const logger = pino({ level: 'info', redact: ['req.headers.authorization'] }, { write: (line: string) => void logs.push(line) })
  const server = await startServer(config, { clock: opts.clock, logger, memoryDb: !databaseUrl && !persistent })
  const url = server.url

  async function request(method: string, path: string, o: RequestOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...o.headers }
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`
    let body: string | undefined = o.rawBody
    if (o.body !== undefined) {
      body = JSON.stringify(o.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await fetch(`${url}${path}`, { method, headers, body })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    return { status: res.status, headers: res.headers, text, body: parsed }
  }

  return {
    url,
    adminToken,
    server,
    dataDir,
    databaseUrl,
    logs,
    request,
    async createTenant(name, o = {}) {
      const r = await request('POST', '/api/v1/admin/tenants', {
        token: adminToken,
        body: { name, contactEmail: `billing@${name}.example.com`, owner: o.owner ?? `owner@${name}.example.com`, plan: o.plan ?? 'pro' },
      })
      if (r.status !== 201) throw new Error(`createTenant ${name}: ${r.status} ${r.text}`)
      return { key: r.body.apiKey.key, keyId: r.body.apiKey.id }
    },
    async createKey(tenant, adminKey, role, extra = {}) {
      const r = await request('POST', `/api/v1/tenants/${tenant}/apikeys`, {
        token: adminKey,
        body: { displayName: `${role}-key`, role, ...extra },
      })
      if (r.status !== 201) throw new Error(`createKey: ${r.status} ${r.text}`)
      return { key: r.body.key, id: r.body.id }
    },
    async stop() {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
