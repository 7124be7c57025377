import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { deriveKeys } from '../../lib/secrets-crypto.js'
import { migrateToLatest, openDatabase, type Database } from '../../store/connect.js'
import { describeVaultBackend, type VaultHarness } from '../vault-conformance.js'
import { createBuiltinVault } from './builtin-vault.js'

/** PGlite in memory, or a fresh database on the PostgreSQL the suite runs against. */
async function freshDatabase(): Promise<Database> {
  const base = process.env.KUPE_TEST_DATABASE_URL
  if (!base) return openDatabase({ dataDir: '', memory: true })
  const name = `kupe_vault_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: base })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return openDatabase({ dataDir: '', url: url.toString() })
}

async function harness(opts: { cached?: boolean } = {}): Promise<VaultHarness & { database: Database }> {
  const database = await freshDatabase()
  await migrateToLatest(database.db)
  const tenants: [string, string] = [randomUUID(), randomUUID()]
  for (const id of tenants) {
    await database.db
      .insertInto('tenants')
      .values({
        id, name: `t-${id.slice(0, 8)}`, display_name: 't', contact_email: 't@example.com', plan: 'pro',
        enforce_metrics_limit: true, enforce_log_limit: true, phase: 'Active', resource_version: '1', created_at: new Date(),
      })
      .execute()
  }
  const readCache = opts.cached ? database.readCache : undefined
  const backend = createBuiltinVault({ db: database.db, keys: deriveKeys(randomBytes(32)), readCache })
  return { backend, tenants, database, close: () => database.close() }
}

describeVaultBackend('builtin', () => harness())
// The same behaviour with rows kept in the read cache (decision 0008): every write still shows at once.
describeVaultBackend('builtin, through the read cache', () => harness({ cached: true }))

describe('builtin vault at rest', () => {
  let h: Awaited<ReturnType<typeof harness>>
  before(async () => {
    h = await harness()
  })
  after(() => h.close())

  test('values are stored encrypted, bound to tenant, path and version', async () => {
    const [t] = h.tenants
    await h.backend.put(t, 'x/a', { password: 'plain-canary' }, { now: new Date(), maxPaths: 10, keepVersions: 10 })
    await h.backend.put(t, 'x/a', { password: 'plain-canary-2' }, { now: new Date(), maxPaths: 10, keepVersions: 10 })
    await h.backend.put(t, 'x/b', { password: 'other' }, { now: new Date(), maxPaths: 10, keepVersions: 10 })
    const rows = await h.database.db.selectFrom('vault_versions').selectAll().where('tenant_id', '=', t).execute()
    for (const r of rows) assert.ok(!r.ciphertext.includes('canary') && !r.ciphertext.includes('other'))

    const v1 = rows.find((r) => r.path === 'x/a' && r.version === 1)!
    // Moved to another version of the same path, or to another path: authentication fails.
    await h.database.db.updateTable('vault_versions').set({ ciphertext: v1.ciphertext }).where('path', '=', 'x/a').where('version', '=', 2).execute()
    await assert.rejects(h.backend.read(t, 'x/a'))
    await h.database.db.updateTable('vault_versions').set({ ciphertext: v1.ciphertext }).where('path', '=', 'x/b').execute()
    await assert.rejects(h.backend.read(t, 'x/b'))
    const original = await h.backend.read(t, 'x/a', 1)
    assert.ok(original.kind === 'value')
    assert.deepEqual(original.value.data, { password: 'plain-canary' })
  })
})
