// test engines: one — its subject is the CLI in a terminal; its API is tested on both engines by test/cli.test.ts (decision 0031).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { cliHome, ensureBuilt, kupeBin, runKupe } from './helpers/cli.js'
import { eventually, StopPolling } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/** A private tmux server (its own socket), so the test never touches anyone's sessions. */
function tmux(socket: string, args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
  if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`)
  return r.stdout
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** Captures the pane until `done` holds for it (or 60 s pass). */
async function waitForPane(socket: string, target: string, done: (pane: string) => boolean): Promise<string> {
  let pane = ''
  return eventually(async () => {
    pane = tmux(socket, ['capture-pane', '-p', '-t', target])
    return done(pane) ? pane : undefined
  }, 60_000, () => `pane ${target} to get there:\n${pane}`)
}
const PROGRESS = /cluster web: (Pending|Provisioning|Running) · (\d+)s/

describe('kupe cluster create --wait in a terminal (tmux)', () => {
  let s: TestServer
  let home: string
  let key: string
  const homes: string[] = []
  const socket = `kupe-test-${randomBytes(4).toString('hex')}`
  before(async () => {
    ensureBuilt()
    // Two seconds per provisioning step: long enough to watch the line change.
    s = await startTestServer({ overrides: { simulatedStepSeconds: '2' } })
    home = cliHome()
    homes.push(home)
    key = (await s.createTenant('acme')).key
    const env = { KUPE_API_URL: s.url }
    assert.equal((await runKupe(home, ['config', 'set-context', 'acme', '--tenant', 'acme'], { env })).code, 0)
    assert.equal((await runKupe(home, ['auth', 'login'], { env, input: key })).code, 0)
  })
  after(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server'])
    await s.stop()
    for (const dir of homes) rmSync(dir, { recursive: true, force: true })
  })

  test('the progress line is rewritten in place, then a success line appears', async () => {
    const command = [
      `env HOME=${shellQuote(home)} LANG=C.UTF-8 ${shellQuote(process.execPath)} ${shellQuote(kupeBin)} cluster create web --wait`,
      'echo "[exit $?]"',
      'exec sleep 600',
    ].join('; ')
    tmux(socket, ['new-session', '-d', '-s', 'cli', '-x', '120', '-y', '30', command])

    const progressLines = new Set<string>()
    const phases = new Set<string>()
    const final = await eventually(async () => {
      const pane = tmux(socket, ['capture-pane', '-p', '-t', 'cli'])
      const live = pane.split('\n').filter((l) => PROGRESS.test(l))
      // In place: never more than one progress line on screen (no scrolling log of states).
      if (live.length > 1) throw new StopPolling(`several progress lines on screen:\n${pane}`)
      for (const line of live) {
        progressLines.add(line.replace(/^\S+ /, '')) // without the spinner frame
        phases.add(PROGRESS.exec(line)![1]!)
      }
      return pane.includes('[exit ') ? pane : undefined
    }, 60_000, 'the command to finish')
    assert.match(final, /^✓ Cluster "web" is Running \(Kubernetes v1\.\d+\.\d+\) after \d+s\.$/m)
    assert.match(final, /^\[exit 0\]$/m)
    assert.ok(!PROGRESS.test(final), `the progress line was not cleared:\n${final}`)
    // The line changed while we watched: elapsed seconds ticked while provisioning.
    const seconds = new Set([...progressLines].map((l) => PROGRESS.exec(l)![2]))
    assert.ok(seconds.size >= 2, `elapsed time never changed: ${[...progressLines].join(' | ')}`)
    assert.ok(phases.has('Pending') || phases.has('Provisioning'), `phases seen: ${[...phases]}`)
  })

  test('auth login on a terminal asks for the key without echoing it', async () => {
    const other = cliHome()
    homes.push(other)
    const command = [
      `env HOME=${shellQuote(other)} LANG=C.UTF-8 KUPE_API_URL=${shellQuote(s.url)} ${shellQuote(process.execPath)} ${shellQuote(kupeBin)} auth login --tenant acme`,
      'echo "[exit $?]"',
      'exec sleep 600',
    ].join('; ')
    tmux(socket, ['new-session', '-d', '-s', 'login', '-x', '120', '-y', '30', command])
    await waitForPane(socket, 'login', (pane) => pane.includes('API key:'))
    tmux(socket, ['send-keys', '-t', 'login', '-l', key])
    tmux(socket, ['send-keys', '-t', 'login', 'Enter'])
    const pane = await waitForPane(socket, 'login', (p) => p.includes('[exit '))
    assert.match(pane, /^\[exit 0\]$/m)
    assert.match(pane, /Logged in to .* as API key ak-[0-9a-f]{8} on tenant "acme"/)
    assert.ok(!pane.includes(key.slice(14)), `the key was echoed:\n${pane}`)
    const who = await runKupe(other, ['auth', 'whoami', '-o', 'json'])
    assert.equal(JSON.parse(who.stdout).tenant, 'acme')
  })
})
