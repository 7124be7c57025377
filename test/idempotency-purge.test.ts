import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { idempotencyPurgeController } from '../src/controllers/idempotency-purge-controller.js'
import { ManualClock } from '../src/lib/clock.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// Idempotency-Key records are kept 24 hours (spec §7 item 5); after that the purge controller
// deletes them on its schedule, so the table does not grow without bound.

const HOUR_MS = 3600 * 1000
const PURGE_SECONDS = 120

describe('expired idempotency records are purged on a schedule', () => {
  let s: TestServer
  let admin: string
  const clock = new ManualClock(new Date('2026-04-06T12:00:00Z'))

  before(async () => {
    s = await startTestServer({ clock, overrides: { idempotencyPurgeSeconds: String(PURGE_SECONDS) } })
    admin = (await s.createTenant('purge-acme')).key
  })
  after(() => s.stop())

  const createKey = async (idempotencyKey: string) => {
    const r = await s.request('POST', '/api/v1/tenants/purge-acme/apikeys', {
      token: admin, body: { displayName: idempotencyKey, role: 'readonly' }, headers: { 'idempotency-key': idempotencyKey },
    })
    assert.equal(r.status, 201, r.text)
  }

  const storedKeys = async () =>
    (await s.server.container.db.selectFrom('idempotency_records').select('key').orderBy('key').execute()).map((r) => r.key)

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  test('a record past its 24 hours goes on the next due purge; a fresh one stays', async () => {
    await createKey('old-request')
    assert.deepEqual(await storedKeys(), ['old-request'])

    // Expired a minute ago: less than the purge period, so no purge is due yet.
    clock.advance(24 * HOUR_MS + 60_000)
    assert.deepEqual(await idempotencyPurgeController.listKeys(s.server.container), [])
    await createKey('fresh-request')

    // Expired longer than the purge period: the next resync (1 s in tests) purges it.
    clock.advance(PURGE_SECONDS * 1000)
    await until('the expired record to be purged', async () => !(await storedKeys()).includes('old-request'))
    assert.deepEqual(await storedKeys(), ['fresh-request'])

    // The fresh record still does its job: the same key replays, creating nothing new.
    const replay = await s.request('POST', '/api/v1/tenants/purge-acme/apikeys', {
      token: admin, body: { displayName: 'fresh-request', role: 'readonly' }, headers: { 'idempotency-key': 'fresh-request' },
    })
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
  })
})
