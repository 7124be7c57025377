#!/usr/bin/env node
// The whole suite: node's test runner over unit tests (src/**/*.test.ts) and integration tests
// (test/**/*.test.ts) on PGlite, then again on PostgreSQL when KUPE_TEST_DATABASE_URL is set
// (.ci/run starts one). Extra arguments narrow the files: `npm test -- test/clusters.test.ts`.
import { spawnSync } from 'node:child_process'
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

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...findTests('src'), ...findTests('test')].sort()
const engines = [['pglite', { ...process.env, KUPE_TEST_DATABASE_URL: '' }]]
if (process.env.KUPE_TEST_DATABASE_URL) engines.push(['postgres', process.env])

let passed = 0
let failed = 0
for (const [engine, env] of engines) {
  process.stdout.write(`\n=== test suite on ${engine} (${files.length} files) ===\n`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  })
  process.stdout.write(r.stdout)
  const pass = Number(/ℹ pass (\d+)/.exec(r.stdout)?.[1] ?? 0)
  const fail = Number(/ℹ fail (\d+)/.exec(r.stdout)?.[1] ?? 0)
  passed += pass
  failed += fail + (r.status !== 0 && fail === 0 ? 1 : 0)
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
