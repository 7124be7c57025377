import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { pino } from 'pino'
import { ProcessSupervisor, type ProcessSpec } from './supervisor.js'

const dir = mkdtempSync(join(tmpdir(), 'kupe-supervisor-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const alive = (pid: number | undefined) => pid !== undefined && existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
// The directory is on the command line, as with etcd and kube-apiserver: that is how an orphan is recognised.
const sleeper = (name: string, seconds = 60): ProcessSpec => ({ name, bin: '/bin/sh', args: ['-c', `echo started; sleep ${seconds}`, dir], dir })

async function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

test('a crashed process is restarted with a new pid; stop ends it and removes its pid file', async () => {
  const events: string[] = []
  const sup = new ProcessSupervisor(pino({ level: 'silent' }), { crashed: (k) => events.push(`crashed ${k}`), restarted: (k) => events.push(`restarted ${k}`) })
  const spec = sleeper('one')
  await sup.ensure('one', spec)
  const first = sup.status('one')!.pid!
  const log = () => readFileSync(join(dir, 'one.log'), 'utf8')
  await until(() => (log().includes('started') ? true : undefined))
  assert.ok(alive(first))
  assert.equal(readFileSync(join(dir, 'one.pid'), 'utf8').trim(), String(first))
  await sup.ensure('one', spec) // same spec: left alone
  assert.equal(sup.status('one')!.pid, first)

  process.kill(first, 'SIGKILL')
  const second = await until(() => {
    const p = sup.status('one')?.pid
    return p !== undefined && p !== first ? p : undefined
  })
  assert.deepEqual(events, ['crashed one', 'restarted one'])
  assert.equal(sup.status('one')!.crashes, 1)
  assert.equal(sup.status('one')!.lastExit?.code, 'SIGKILL')
  assert.match(sup.status('one')!.lastExit!.logTail, /started/, 'the crash report carries the end of its log')
  await until(() => (log().match(/started/g)?.length === 2 ? true : undefined)) // the restart appends to the log

  await sup.stopAll()
  assert.ok(!alive(second))
  assert.equal(sup.status('one'), undefined)
  assert.equal(existsSync(join(dir, 'one.pid')), false)
  assert.deepEqual(events, ['crashed one', 'restarted one'], 'a requested stop is no crash')
})

test('a changed spec replaces the process', async () => {
  const sup = new ProcessSupervisor(pino({ level: 'silent' }), { crashed: () => undefined, restarted: () => undefined })
  await sup.ensure('two', sleeper('two', 60))
  const first = sup.status('two')!.pid!
  await sup.ensure('two', sleeper('two', 61))
  const second = sup.status('two')!.pid!
  assert.notEqual(second, first)
  assert.ok(!alive(first) && alive(second))
  await sup.stopAll()
})

test('an orphan a crashed server left behind (named in the pid file, our directory on its command line) is ended first', async () => {
  const orphan = spawn('/bin/sh', ['-c', 'sleep 60', dir], { stdio: 'ignore', detached: true })
  orphan.unref()
  const unrelated = spawn('/bin/sh', ['-c', 'sleep 60'], { stdio: 'ignore', detached: true })
  unrelated.unref()
  try {
    writeFileSync(join(dir, 'three.pid'), `${orphan.pid}\n`)
    writeFileSync(join(dir, 'four.pid'), `${unrelated.pid}\n`)
    const sup = new ProcessSupervisor(pino({ level: 'silent' }), { crashed: () => undefined, restarted: () => undefined })
    await sup.ensure('three', sleeper('three'))
    await sup.ensure('four', sleeper('four'))
    assert.ok(!alive(orphan.pid), 'the orphan was ended')
    assert.ok(alive(unrelated.pid), 'a process that is not ours is left alone, whatever the pid file says')
    await sup.stopAll()
  } finally {
    for (const p of [orphan, unrelated]) if (alive(p.pid)) process.kill(p.pid!, 'SIGKILL')
  }
})
