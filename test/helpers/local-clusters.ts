import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.js'
import { findKubeReleases } from '../../src/providers/local/binaries.js'
import type { LocalProvider } from '../../src/providers/local/local-provider.js'
import { eventually, StopPolling } from './eventually.js'
import { type TestServer } from './server.js'

/**
 * Helpers for tests of the `local` provider: real kube-apiserver processes started by a real
 * Kupe server, reached with kubectl and the Kubernetes client like a user would.
 */

/** Fails at once, with what to do, when the Kubernetes binaries are not built. */
export function requireKubeBinaries(): void {
  const dir = loadConfig({}, process.env).k8sDir
  if (findKubeReleases(dir).length === 0) {
    throw new Error(`these tests run real kube-apiservers and ${dir} holds none: run \`npm run k8s:build\` first`)
  }
}

/** The local provider of a test server (white-box access for process and etcd checks). */
export function localProviderOf(s: TestServer): LocalProvider {
  const p = s.server.container.provider
  if (p.name !== 'local') throw new Error(`the test server runs the ${p.name} provider`)
  return p as LocalProvider
}

/**
 * A test process ended by a signal (Ctrl-C, the runner's timeout) runs no `after` hook: kill the
 * server's Kubernetes processes first, then end as the signal asks.
 */
export function killProcessesOnSignal(server: () => TestServer | undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      const s = server()
      if (s?.server.container.provider.name === 'local') (s.server.container.provider as LocalProvider).killNow()
      process.kill(process.pid, signal)
    })
  }
}

/** The cluster once it is in `phase`, through the API; a cluster that failed ends the wait at once. */
export async function waitForPhase(s: TestServer, tenant: string, token: string, name: string, phase: string, timeoutMs = 120_000): Promise<any> {
  return eventually(async () => {
    const r = await s.request('GET', `/api/v1/tenants/${tenant}/clusters/${name}`, { token })
    if (r.status !== 200) throw new Error(`GET cluster ${name}: ${r.status} ${r.text}`)
    if (r.body.status.phase === 'Failed' && phase !== 'Failed') throw new StopPolling(`cluster ${name} failed: ${JSON.stringify(r.body.status)}`)
    return r.body.status.phase === phase ? r.body : undefined
  }, timeoutMs, `cluster ${name} to be ${phase}`)
}

/** Creates a cluster and waits until it is Running; returns its connection details. */
export async function createRunningCluster(s: TestServer, tenant: string, token: string, name: string): Promise<{ endpoint: string; caPem: string; cluster: any }> {
  const created = await s.request('POST', `/api/v1/tenants/${tenant}/clusters`, { token, body: { name } })
  if (created.status !== 201) throw new Error(`POST cluster ${name}: ${created.status} ${created.text}`)
  const cluster = await waitForPhase(s, tenant, token, name, 'Running')
  const conn = await s.request('GET', `/api/v1/tenants/${tenant}/clusters/${name}/kubeconfig`, { token })
  if (conn.status !== 200) throw new Error(`GET kubeconfig ${name}: ${conn.status} ${conn.text}`)
  return { endpoint: conn.body.endpoint, caPem: Buffer.from(conn.body.certificateAuthority, 'base64').toString(), cluster }
}

/** The cluster row's id, read from the server's database (names are unique per tenant). */
export async function clusterIdOf(s: TestServer, name: string): Promise<string> {
  const row = await s.server.container.db.selectFrom('clusters').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return row.id
}

export interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

/** A scratch directory for CA files and kubeconfigs, removed by `dispose`. */
export function scratchDir(): { dir: string; file(name: string, content: string): string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kupe-kubectl-'))
  writeFileSync(join(dir, 'empty-kubeconfig'), '')
  return {
    dir,
    file(name, content) {
      const path = join(dir, name)
      writeFileSync(path, content, { mode: 0o600 })
      return path
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Runs kubectl (Debian's) with no kubeconfig of the machine's in the way. */
export function kubectl(scratch: string, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--request-timeout=20s', ...args], { env: { ...process.env, KUBECONFIG: join(scratch, 'empty-kubeconfig'), HOME: scratch } }, (err, stdout, stderr) => {
      if (err?.code === 'ENOENT') return reject(new Error('kubectl is not installed: apt-get install -y kubectl'))
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}
