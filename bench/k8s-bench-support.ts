// Shared by bench/provision.ts and bench/sync.ts: an in-process Kupe server on the `local`
// provider (PGlite in memory, warn-level log), and small helpers. Everything started is stopped
// by `stop()`, also when a run fails.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { loadConfig } from '../src/config.js'
import { findKubeReleases } from '../src/providers/local/binaries.js'
import type { LocalProvider } from '../src/providers/local/local-provider.js'
import { startServer, type RunningServer } from '../src/main.js'

export interface BenchServer {
  server: RunningServer
  url: string
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>
  /** Creates a tenant; returns its admin API key. */
  tenant(name: string, plan?: string): Promise<string>
  stop(): Promise<void>
}

export function requireBinaries(): void {
  const dir = loadConfig({}, process.env).k8sDir
  if (findKubeReleases(dir).length === 0) throw new Error(`no Kubernetes binaries in ${dir}: run \`npm run k8s:build\` first`)
}

export async function startLocalKupe(overrides: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kupe-bench-'))
  const adminToken = `kupeadm_${randomBytes(24).toString('base64url')}`
  const config = loadConfig({
    listen: '127.0.0.1:0', dataDir, adminToken, provider: 'local', rateLimit: '100000', rateBurst: '100000', logLevel: 'warn', ...overrides,
  }, process.env)
  const server = await startServer(config, { memoryDb: true, logger: pino({ level: 'warn' }) })
  // Ctrl-C: no time for a graceful stop, but no Kubernetes process may outlive the bench.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      ;(server.container.provider as Partial<LocalProvider>).killNow?.()
      rmSync(dataDir, { recursive: true, force: true })
      process.exit(130)
    })
  }
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return {
    server,
    url: server.url,
    call,
    async tenant(name, plan = 'enterprise') {
      const r = await call('POST', '/api/v1/admin/tenants', adminToken, { name, contactEmail: `ops@${name}.example.com`, owner: `owner@${name}.example.com`, plan })
      if (r.status !== 201) throw new Error(`create tenant: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.apiKey.key as string
    },
    async stop() {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const seconds = (ms: number) => (ms / 1000).toFixed(2)
