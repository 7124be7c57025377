import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { exitCodeFor } from './exit-codes.js'
import { configPathOf, readConfigFile, resolveSettings, writeConfigFile, type ConfigFile } from './settings.js'

const file: ConfigFile = {
  currentContext: 'prod',
  contexts: [
    { name: 'prod', apiUrl: 'https://kupe.example.com/api/v1/', tenant: 'acme', token: 'kupe_file', adminToken: 'adm_file' },
    { name: 'dev', apiUrl: 'http://localhost:8080', tenant: 'acme-dev', token: 'kupe_dev' },
  ],
}

describe('CLI settings', () => {
  test('flags win over the environment, which wins over the current context', () => {
    const fromFile = resolveSettings({}, {}, file)
    assert.deepEqual(
      [fromFile.apiUrl, fromFile.tenant, fromFile.token, fromFile.adminToken, fromFile.context],
      ['https://kupe.example.com', 'acme', 'kupe_file', 'adm_file', 'prod'],
    )
    const env = { KUPE_API_URL: 'http://env:1', KUPE_TENANT: 'envco', KUPE_API_TOKEN: 'kupe_env', KUPE_ADMIN_TOKEN: 'adm_env' }
    const fromEnv = resolveSettings({}, env, file)
    assert.deepEqual([fromEnv.apiUrl, fromEnv.tenant, fromEnv.token, fromEnv.adminToken], ['http://env:1', 'envco', 'kupe_env', 'adm_env'])
    assert.deepEqual(fromEnv.sources, { apiUrl: 'env', tenant: 'env', token: 'env', adminToken: 'env' })
    const fromFlags = resolveSettings({ apiUrl: 'http://flag:2', tenant: 'flagco' }, env, file)
    assert.deepEqual([fromFlags.apiUrl, fromFlags.tenant, fromFlags.token], ['http://flag:2', 'flagco', 'kupe_env'])
  })

  test('--context picks another context; an unknown one is a usage error', () => {
    const dev = resolveSettings({ context: 'dev' }, {}, file)
    assert.deepEqual([dev.apiUrl, dev.tenant, dev.token], ['http://localhost:8080', 'acme-dev', 'kupe_dev'])
    assert.throws(() => resolveSettings({ context: 'nope' }, {}, file), (err) => exitCodeFor(err) === 2)
  })

  test('a saved member sign-in comes with its context; a malformed one is ignored (decision 0034)', () => {
    const oidc = { issuer: 'https://id.example.com', clientId: 'kupe', email: 'alice@acme.com', idToken: 'a.b.c', expiresAt: '2030-01-01T00:00:00.000Z' }
    const signedIn: ConfigFile = { currentContext: 'sso', contexts: [{ name: 'sso', apiUrl: 'https://kupe.example.com', tenant: 'acme', oidc }] }
    const s = resolveSettings({}, {}, signedIn)
    assert.deepEqual([s.token, s.oidc], [undefined, oidc])
    assert.equal(resolveSettings({}, { KUPE_API_TOKEN: 'kupe_env' }, signedIn).token, 'kupe_env', 'an API key from the environment still wins (session.api)')
    const broken = { ...signedIn, contexts: [{ name: 'sso', apiUrl: 'https://kupe.example.com', oidc: { ...oidc, idToken: 42 } as unknown as typeof oidc }] }
    assert.equal(resolveSettings({}, {}, broken).oidc, undefined)
  })

  test('without any configuration the API URL is the self-hosted default', () => {
    const s = resolveSettings({}, {}, { contexts: [] })
    assert.equal(s.apiUrl, 'http://localhost:8080')
    assert.equal(s.tenant, undefined)
    assert.equal(s.token, undefined)
  })

  test('the file is found through --config, KUPE_CONFIG, XDG_CONFIG_HOME, then HOME', () => {
    assert.equal(configPathOf({ config: '/a.yaml' }, { KUPE_CONFIG: '/b.yaml' }), '/a.yaml')
    assert.equal(configPathOf({}, { KUPE_CONFIG: '/b.yaml', XDG_CONFIG_HOME: '/x' }), '/b.yaml')
    assert.equal(configPathOf({}, { XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/kupe/config.yaml')
    assert.equal(configPathOf({}, { HOME: '/h' }), '/h/.config/kupe/config.yaml')
  })

  test('the file is YAML, written with mode 0600, and reads back the same', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kupe-settings-')), 'nested', 'config.yaml')
    writeConfigFile(path, file)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.match(readFileSync(path, 'utf8'), /^currentContext: prod\ncontexts:\n {2}- name: prod\n/)
    assert.deepEqual(readConfigFile(path), file)
    assert.deepEqual(readConfigFile(join(path, '..', 'missing.yaml')), { contexts: [] })
  })
})
