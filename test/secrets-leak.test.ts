import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { base62Checksum } from '../src/domain/apikeys/token-format.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Secrets never leak (STYLE rule 18, spec §2.1, §5.5, §7 item 5): raw API keys, cluster
// credentials and vault values exist only in the one response that hands them out. Neither the
// server's log nor any table of its database may hold them, in clear, base64 or hex.

/** Every row of every table in the public schema, as one searchable string. */
async function dumpDatabase(s: TestServer): Promise<{ text: string; tables: string[] }> {
  const db = s.server.container.db
  const tables = (await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name`.execute(db)).rows.map((r) => r.table_name)
  const parts: string[] = []
  for (const t of tables) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(db)).rows
    parts.push(
      `${t}: ${JSON.stringify(rows, (_k, v: unknown) => {
        if (typeof v === 'bigint') return v.toString()
        if (v instanceof Uint8Array) return `${Buffer.from(v).toString('latin1')} ${Buffer.from(v).toString('base64')}`
        return v
      })}`,
    )
  }
  return { text: parts.join('\n'), tables }
}

/** The forms a careless implementation might store a secret in. */
function encodings(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]
}

function assertAbsent(haystack: string, secrets: Record<string, string>, where: string): void {
  for (const [what, secret] of Object.entries(secrets)) {
    for (const form of encodings(secret)) assert.ok(!haystack.includes(form), `${what} found in ${where}`)
  }
}

describe('secrets never leak into logs or the database', () => {
  let s: TestServer
  let admin: string
  const secrets: Record<string, string> = {}
  const marker = randomBytes(9).toString('base64url')

  before(async () => {
    s = await startTestServer()
    const owner = await s.createTenant('leak-acme')
    admin = owner.key
    secrets['owner key'] = owner.key
    secrets['admin token'] = s.adminToken
    secrets['master key'] = readFileSync(join(s.dataDir, 'master.key'), 'utf8').trim()
  })
  after(() => s.stop())

  test('API keys, including one whose create response is stored for idempotent replay', async () => {
    secrets['readonly key'] = (await s.createKey('leak-acme', admin, 'readonly')).key
    const r = await s.request('POST', '/api/v1/tenants/leak-acme/apikeys', {
      token: admin, body: { displayName: 'replayable', role: 'admin' }, headers: { 'idempotency-key': 'leak-replay-1' },
    })
    assert.equal(r.status, 201)
    secrets['replayable key'] = r.body.key
    const replay = await s.request('POST', '/api/v1/tenants/leak-acme/apikeys', {
      token: admin, body: { displayName: 'replayable', role: 'admin' }, headers: { 'idempotency-key': 'leak-replay-1' },
    })
    assert.equal(replay.body.key, r.body.key, 'the replay still returns the raw key')
    // Use every key once, and fail once with a well-formed key of a real id, so auth paths log what they log.
    for (const key of [secrets['readonly key'], r.body.key]) assert.equal((await s.request('GET', '/api/v1/tenants/leak-acme', { token: key })).status, 200)
    const forgedBody = `${(r.body.key as string).slice(0, 14)}${'A'.repeat(43)}`
    const forged = forgedBody + base62Checksum(forgedBody)
    assert.equal((await s.request('GET', '/api/v1/tenants/leak-acme', { token: forged })).status, 401)
    secrets['forged key'] = forged
    const list = await s.request('GET', '/api/v1/tenants/leak-acme/apikeys', { token: admin })
    assertAbsent(list.text, secrets, 'the key list')
  })

  test('vault values, and errors about them', async () => {
    secrets['vault password'] = `pw-${marker}-s3cr3t`
    secrets['vault token'] = `tok-${marker}-${randomBytes(16).toString('hex')}`
    const put = await s.request('PUT', '/api/v1/tenants/leak-acme/vault/production/db', {
      token: admin, body: { data: { password: secrets['vault password'], token: secrets['vault token'], username: 'app' } },
    })
    assert.equal(put.status, 200, put.text)
    assertAbsent(put.text, secrets, 'the write response')
    const get = await s.request('GET', '/api/v1/tenants/leak-acme/vault/production/db', { token: admin })
    assert.equal(get.body.data.password, secrets['vault password'], 'the value reads back')
    const meta = await s.request('GET', '/api/v1/tenants/leak-acme/vault', { token: admin })
    assertAbsent(meta.text, secrets, 'the vault list')

    secrets['rejected value'] = `rejected-${marker}`
    const bad = await s.request('PUT', '/api/v1/tenants/leak-acme/vault/production/bad', {
      token: admin, body: { data: { 'not a valid key!': secrets['rejected value'] } },
    })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.code, 'INVALID_FIELD')
    assertAbsent(bad.text, secrets, 'a validation error')
    // A secret definition reading that path: its status and list never carry the value.
    const def = await s.request('POST', '/api/v1/tenants/leak-acme/secrets', {
      token: admin, body: { name: 'db', secretPath: 'production/db', sync: [{ cluster: 'nowhere', namespace: 'default' }] },
    })
    assert.equal(def.status, 201, def.text)
    const defs = await s.request('GET', '/api/v1/tenants/leak-acme/secrets', { token: admin })
    assertAbsent(defs.text, secrets, 'the secret list')
  })

  test('cluster credentials and YAML kubeconfigs', async () => {
    const created = await s.request('POST', '/api/v1/tenants/leak-acme/clusters', { token: admin, body: { name: 'leak-web' } })
    assert.equal(created.status, 201, created.text)
    await eventually(async () => {
      const r = await s.request('GET', '/api/v1/tenants/leak-acme/clusters/leak-web', { token: admin })
      return r.body?.status?.phase === 'Running' ? true : undefined
    }, 30_000, 'cluster Running')
    const cred = await s.request('POST', '/api/v1/tenants/leak-acme/clusters/leak-web/credentials', { token: admin, body: { ttlSeconds: 600 } })
    assert.equal(cred.status, 201, cred.text)
    assert.match(cred.body.token, /^kupec_/)
    secrets['credential token'] = cred.body.token
    const yaml = await s.request('GET', '/api/v1/tenants/leak-acme/clusters/leak-web/kubeconfig?format=yaml', { token: admin })
    assert.equal(yaml.status, 200)
    const token = /token: (\S+)/.exec(yaml.text)?.[1]
    assert.ok(token?.startsWith('kupec_'), 'the kubeconfig embeds a credential')
    secrets['kubeconfig credential'] = token!
    const list = await s.request('GET', '/api/v1/tenants/leak-acme/clusters/leak-web/credentials', { token: admin })
    assert.equal(list.status, 200)
    assertAbsent(list.text, secrets, 'the credential list')
  })

  test('nothing above appears in the server log', () => {
    assert.ok(Object.keys(secrets).length >= 5)
    assert.ok(s.logs.length > 10, 'the server logged requests')
    assertAbsent(s.logs.join('\n'), secrets, 'the server log')
  })

  test('nothing above appears in any table', async () => {
    const { text, tables } = await dumpDatabase(s)
    for (const t of ['api_keys', 'vault_versions', 'idempotency_records']) assert.ok(tables.includes(t), `table ${t} dumped`)
    assert.ok(text.includes('leak-acme') && text.includes('replayable'), 'the dump holds the data around the secrets')
    assertAbsent(text, secrets, 'the database')
  })
})
