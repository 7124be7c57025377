import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startTestServer, type TestServer } from './helpers/server.js'

// The user guides' curl flows (create a cluster and wait, add a sync target, rotate an API key)
// as the bash scripts in test/scripts, run with curl and jq against a real server. The server
// lives in this process, so the scripts run asynchronously (spawnSync would block it).

const SCRIPTS = join(fileURLToPath(new URL('.', import.meta.url)), 'scripts')

interface ScriptRun {
  code: number | null
  stdout: string
  stderr: string
}

function runScript(name: string, env: Record<string, string>): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(SCRIPTS, name)], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('curl flows from the guides', () => {
  let s: TestServer
  let env: Record<string, string>

  before(async () => {
    s = await startTestServer()
    const { key } = await s.createTenant('curl-acme')
    env = { KUPE_API: `${s.url}/api/v1`, KUPE_API_KEY: key, KUPE_TENANT: 'curl-acme', KUPE_POLL_INTERVAL: '0.2', KUPE_TIMEOUT_SECONDS: '30' }
  })
  after(() => s.stop())

  test('create a cluster, poll until Running, fetch its connection details', async () => {
    const r = await runScript('create-cluster.sh', env)
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
    assert.match(r.stdout, /^Created cluster production \(phase Pending, resourceVersion \d+\)$/m)
    assert.match(r.stdout, /^Phase: Running /m)
    assert.match(r.stdout, /^Cluster is ready!$/m)
    assert.match(r.stdout, /^Endpoint: https:\/\/\S+$/m)
    assert.match(r.stdout, /^CA: -----BEGIN CERTIFICATE-----$/m)
    const cluster = await s.request('GET', '/api/v1/tenants/curl-acme/clusters/production', { token: env.KUPE_API_KEY })
    assert.equal(cluster.body.status.phase, 'Running')
    assert.deepEqual(cluster.body.resources, { cpu: '2', memory: '4Gi', storage: '20Gi' })
  })

  test('add a sync target by GET, append, PATCH with If-Match', async () => {
    const r = await runScript('add-sync-target.sh', env)
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
    assert.match(r.stdout, /^Created secret db-password$/m)
    assert.match(r.stdout, /^Sync targets: production\/default,production\/backend,staging\/default$/m)
    assert.match(r.stdout, /^Stale If-Match: 412$/m)
    const statuses = JSON.parse(/^Sync statuses: (.*)$/m.exec(r.stdout)?.[1] ?? 'null') as Array<{ cluster: string; namespace: string }>
    assert.deepEqual(statuses.map((x) => `${x.cluster}/${x.namespace}`), ['production/default', 'production/backend', 'staging/default'])
    assert.match(r.stdout, /^After clearing: \[\]$/m)
    assert.match(r.stdout, /^Deleted: 204$/m)
    const gone = await s.request('GET', '/api/v1/tenants/curl-acme/secrets/db-password', { token: env.KUPE_API_KEY })
    assert.equal(gone.status, 404)
  })

  test('create, list and rotate an API key; the old key stops at once', async () => {
    const r = await runScript('rotate-api-key.sh', env)
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
    const id = /^Created (ak-[0-9a-f]{8}) \(ci-deploy\)$/m.exec(r.stdout)?.[1]
    assert.ok(id, r.stdout)
    assert.match(r.stdout, new RegExp(`^Found ${id} by displayName$`, 'm'))
    assert.match(r.stdout, /^Raw keys in the list: 0$/m)
    assert.match(r.stdout, /^New key works: 200$/m)
    assert.match(r.stdout, new RegExp(`^Revoked ${id}: 204$`, 'm'))
    assert.match(r.stdout, /^Old key now: 401$/m)
    assert.match(r.stdout, /^New key still: 200$/m)
  })

  test('a script fails loudly when the server refuses', async () => {
    const r = await runScript('create-cluster.sh', { ...env, KUPE_API_KEY: 'kupe_wrong', KUPE_CLUSTER: 'refused' })
    assert.notEqual(r.code, 0)
    assert.match(r.stdout + r.stderr, /Missing or invalid authentication/)
  })
})
