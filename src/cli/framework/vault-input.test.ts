import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { exitCodeFor } from './exit-codes.js'
import type { Io } from './io.js'
import { parseStdinData, readVaultData } from './vault-input.js'

function io(stdin: string, env: NodeJS.ProcessEnv = {}, tty = false): Io {
  return {
    env,
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdinIsTTY: tty,
    readStdin: async () => stdin,
    promptSecret: async () => '',
    sleep: async () => {},
    now: () => 0,
  }
}

describe('vault values', () => {
  test('stdin takes KEY=VALUE lines verbatim (comments and blank lines skipped) or a JSON object', () => {
    assert.deepEqual(parseStdinData('# db\nusername=app\n\npassword= p=ss w0rd \n'), { username: 'app', password: ' p=ss w0rd ' })
    assert.deepEqual(parseStdinData('{"a":"1","b":""}'), { a: '1', b: '' })
    assert.throws(() => parseStdinData('{"a":1}'), (err) => exitCodeFor(err) === 2)
    assert.throws(() => parseStdinData('just-a-value\n'), (err) => exitCodeFor(err) === 2)
  })

  test('--from-file and --from-env name their keys (defaults: file name, variable name); stdin is then not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kupe-vault-input-'))
    writeFileSync(join(dir, 'tls.crt'), 'CERT\n')
    const data = await readVaultData(
      { fromFile: [join(dir, 'tls.crt'), `key=${join(dir, 'tls.crt')}`], fromEnv: ['TOKEN', 'pw=DB_PW'] },
      io('ignored=1', { TOKEN: 't0k', DB_PW: 'secret' }),
    )
    assert.deepEqual(data, { 'tls.crt': 'CERT\n', key: 'CERT\n', TOKEN: 't0k', pw: 'secret' })
  })

  test('a missing variable, a repeated key or a terminal without input is a usage error', async () => {
    await assert.rejects(readVaultData({ fromEnv: ['NOPE'] }, io('')), (err) => exitCodeFor(err) === 2)
    await assert.rejects(readVaultData({ fromEnv: ['A', 'A'] }, io('', { A: 'x' })), /given twice/)
    await assert.rejects(readVaultData({}, io('', {}, true)), /pipe KEY=VALUE lines/)
  })
})
