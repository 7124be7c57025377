import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { hostCluster } from './helpers/host-cluster-shared.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * Seed 004's two samples, taken from the seed itself and run verbatim with bash, curl and jq
 * against a server on the port they name (18080) whose host cluster is real (a kubelet that runs
 * pods): register a cluster from $KUBECONFIG, then the usage snapshot and invoice with their jq
 * filters. The seed's $KUBECONFIG is the kubeconfig's content (decision 0010).
 */
const SEEDS = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared', 'seeds')

function seedSample(title: string): string {
  const file = readdirSync(SEEDS).find((f) => f.startsWith('004_'))
  if (!file) throw new Error(`seed 004 not found in ${SEEDS}`)
  const text = readFileSync(join(SEEDS, file), 'utf8')
  const at = text.indexOf(`### Sample: ${title}`)
  const m = /```bash\n([\s\S]*?)```/.exec(text.slice(at))
  if (at < 0 || !m?.[1]) throw new Error(`seed 004 has no bash sample "${title}"`)
  return m[1]
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe("seed 004's samples, verbatim", () => {
  let s: TestServer
  let env: Record<string, string>

  before(async () => {
    const host = await hostCluster()
    s = await startTestServer({ overrides: { listen: '127.0.0.1:18080' } })
    const acme = await s.request('POST', '/v1/tenants', { token: s.adminToken, body: { name: 'acme', plan: 'pro' } })
    assert.equal(acme.status, 201, acme.text)
    env = { ADMIN: s.adminToken, KUBECONFIG: host.kubeconfigYaml, TENANT_ID: acme.body.id }
  })
  after(() => s?.stop())

  test('register a cluster: the answer has the shape the seed shows', async () => {
    const r = await bash(seedSample('register a cluster'), env)
    assert.equal(r.code, 0, r.stderr)
    const body = JSON.parse(r.stdout)
    assert.deepEqual(Object.keys(body).slice(0, 5), ['id', 'name', 'labels', 'finalizers', 'created_at'])
    assert.equal(body.name, 'dev')
    assert.deepEqual(body.labels, { 'app.kubeop.io/cluster-id': body.id })
    assert.deepEqual(body.finalizers, ['kubeop.io/cleanup'])
    assert.equal(body.status.phase, 'Ready')
    assert.equal(body.status.node_count, 1, 'the real node of the host cluster')
  })

  test('usage snapshot and invoice, through their jq filters', async () => {
    const r = await bash(seedSample('usage snapshot and invoice'), env)
    assert.equal(r.code, 0, r.stderr)
    // Two JSON documents, one per command: `.totals`, then `{tenant_name, subtotal, lines}`.
    const [totals, invoice] = r.stdout.trim().split(/\n(?=\{)/).map((d) => JSON.parse(d))
    assert.equal(totals.tenants, 1)
    assert.deepEqual([totals.projects, totals.apps], [0, 0])
    assert.deepEqual(Object.keys(invoice), ['tenant_name', 'subtotal', 'lines'])
    assert.equal(invoice.tenant_name, 'acme')
    assert.match(invoice.subtotal, /^\d+\.\d{2}$/)
    assert.ok(invoice.lines.some((l: { kind: string }) => l.kind === 'platformFee'), 'the pro plan fee is billed')
  })
})
