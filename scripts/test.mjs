#!/usr/bin/env node
// The whole suite: node's test runner over unit tests (src/**/*.test.ts) and integration tests
// (test/**/*.test.ts) on PGlite, then again on PostgreSQL when KUPE_TEST_DATABASE_URL is set
// (.ci/run starts one). Extra arguments narrow the files: `npm test -- test/clusters.test.ts`.
// Output streams as it comes (CI logs show progress); the last line is "N passed, N failed".
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...findTests('src'), ...findTests('test')].sort()
const engines = [['pglite', { ...process.env, KUPE_TEST_DATABASE_URL: '' }]]
if (process.env.KUPE_TEST_DATABASE_URL) engines.push(['postgres', process.env])

let passed = 0
let failed = 0
const summaries = []
for (const [engine, env] of engines) {
  process.stdout.write(`\n=== test suite on ${engine} (${files.length} files) ===\n`)
  const started = Date.now()
  const r = await runSuite(files, env)
  const pass = Number(/ℹ pass (\d+)/.exec(r.tail)?.[1] ?? 0)
  const fail = Number(/ℹ fail (\d+)/.exec(r.tail)?.[1] ?? 0)
  // A runner that died without a summary counts as one failure, never as success.
  const extra = r.status !== 0 && fail === 0 ? 1 : 0
  passed += pass
  failed += fail + extra
  summaries.push(`${engine}: ${pass} passed, ${fail + extra} failed in ${Math.round((Date.now() - started) / 1000)} s`)
}
process.stdout.write(`\n${summaries.join('\n')}\n${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
