#!/usr/bin/env node
// The whole suite: node's test runner over unit tests (src/**/*.test.ts) and integration tests
// (test/**/*.test.ts) on PGlite, then again on PostgreSQL when KUPE_TEST_DATABASE_URL is set
// (.ci/run starts one); files marked `// test engines: one` run in the last pass only (decision
// 0031). Extra arguments narrow the files: `npm test -- test/clusters.test.ts`.
// Output streams as it comes (CI logs show progress); the last line is "N passed, N failed".
// Heavy suites share ONE host cluster (a real kubelet whose pods run) per run: when a selected file
// uses test/helpers/host-cluster*, it is started once before the first pass, handed to every file
// through KUPE_TEST_HOST_KUBECONFIG (both engine passes), and stopped at the end.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

function findTests(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (name === 'node_modules') continue
    if (statSync(p).isDirectory()) out.push(...findTests(p))
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

/** Runs one engine's pass, echoing its output and keeping the tail, where the summary is. */
function runSuite(files, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let tail = ''
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      tail = (tail + chunk.toString()).slice(-64 * 1024)
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, tail }))
  })
}

const HOST_KUBECONFIG_ENV = 'KUPE_TEST_HOST_KUBECONFIG' // test/helpers/host-cluster-shared.ts

/**
 * Starts `scripts/host-cluster.ts up --json` and resolves with the JSON line it prints when the node
 * is Ready, or undefined (with its reason on stderr) when this machine cannot run it: the tests that
 * need it then start their own and fail with that reason, rather than being skipped.
 */
function startSharedHostCluster() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/host-cluster.ts', 'up', '--json', '--dir', `/dev/shm/kupe-test-hc-${process.pid}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const ready = new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)))
    exited.then(() => resolve(undefined))
  })
  const stop = async () => {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    await exited
    clearTimeout(timer)
  }
  return ready.then((info) => (info ? { info, stop } : undefined))
}

const usesHostCluster = (file) => readFileSync(file, 'utf8').includes('helpers/host-cluster')
/**
 * A file whose subject is what runs beside the store (real Kubernetes processes, a browser, a
 * terminal), not the store itself, says so with a line `// test engines: one` and runs in one pass
 * only: the last one (PostgreSQL when set, the production engine). Decision 0031.
 */
const oneEngine = (file) => /^\/\/ test engines: one\b/m.test(readFileSync(file, 'utf8'))

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...findTests('src'), ...findTests('test')].sort()
const shared = {}
let host
if (!process.env[HOST_KUBECONFIG_ENV] && files.some(usesHostCluster)) {
  process.stdout.write('\n=== host cluster (shared by this run) ===\n')
  host = await startSharedHostCluster()
  if (host) {
    shared[HOST_KUBECONFIG_ENV] = host.info.kubeconfigPath
    process.stdout.write(`node ${host.info.nodeName} Ready in ${host.info.startSeconds} s; ${HOST_KUBECONFIG_ENV}=${host.info.kubeconfigPath}\n`)
  } else {
    process.stdout.write('the host cluster did not start (reason above); the files that need it will fail\n')
  }
}
// Interrupted (Ctrl-C, a CI timeout): the stack is stopped and cleaned up before this ends.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(130))
  })
}
const engines = [['pglite', { ...process.env, ...shared, KUPE_TEST_DATABASE_URL: '' }]]
if (process.env.KUPE_TEST_DATABASE_URL) engines.push(['postgres', { ...process.env, ...shared }])

let passed = 0
let failed = 0
const summaries = []
for (const [index, [engine, env]] of engines.entries()) {
  const last = index === engines.length - 1
  const selected = last ? files : files.filter((f) => !oneEngine(f))
  if (selected.length === 0) continue
  process.stdout.write(`\n=== test suite on ${engine} (${selected.length} files) ===\n`)
  const started = Date.now()
  const r = await runSuite(selected, env)
  const pass = Number(/ℹ pass (\d+)/.exec(r.tail)?.[1] ?? 0)
  const fail = Number(/ℹ fail (\d+)/.exec(r.tail)?.[1] ?? 0)
  // A runner that died without a summary counts as one failure, never as success.
  const extra = r.status !== 0 && fail === 0 ? 1 : 0
  passed += pass
  failed += fail + extra
  summaries.push(`${engine}: ${pass} passed, ${fail + extra} failed in ${Math.round((Date.now() - started) / 1000)} s`)
}
await host?.stop()
process.stdout.write(`\n${summaries.join('\n')}\n${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
