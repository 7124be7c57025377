import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ManualClock } from '../src/lib/clock.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// API keys and cluster credentials list by createdAt, then id (spec §1.4). createdAt is shown in
// whole seconds, so items made within one second must come back in id order, whatever their
// millisecond. The server runs on a clock the test moves by hand to put six of each in one second.

type Item = { id: string; createdAt: string }

describe('lists ordered by createdAt then id', () => {
  const clock = new ManualClock(new Date('2026-06-01T09:00:00.050Z'))
  let s: TestServer
  let admin: string
  const base = '/api/v1/tenants/order-acme'

  before(async () => {
    s = await startTestServer({ clock })
    admin = (await s.createTenant('order-acme', { plan: 'pro' })).key
    assert.equal((await s.request('POST', `${base}/clusters`, { token: admin, body: { name: 'web' } })).status, 201)
    await eventually(async () => {
      clock.advance(1000)
      const r = await s.request('GET', `${base}/clusters/web`, { token: admin })
      return r.body.status.phase === 'Running' ? true : undefined
    }, 30_000, 'cluster Running')
  })
  after(() => s.stop())

  async function sixInOneSecond(create: () => Promise<Item>): Promise<Item[]> {
    clock.set(new Date(Math.ceil(clock.now().getTime() / 1000) * 1000 + 10_000 + 20))
    const made: Item[] = []
    for (let i = 0; i < 6; i++) {
      made.push(await create())
      clock.advance(150)
    }
    assert.equal(new Set(made.map((m) => m.createdAt)).size, 1, 'all six show the same createdAt')
    return made
  }

  function assertIdOrder(listed: Item[], made: Item[]) {
    const ids = new Set(made.map((m) => m.id))
    const ours = listed.filter((m) => ids.has(m.id)).map((m) => m.id)
    assert.deepEqual(ours, [...ids].sort())
  }

  test('API keys created within one second list by id, and pages walk them in that order', async () => {
    const made = await sixInOneSecond(async () => {
      const r = await s.request('POST', `${base}/apikeys`, { token: admin, body: { displayName: 'k', role: 'readonly' } })
      assert.equal(r.status, 201, r.text)
      return r.body
    })
    const all = (await s.request('GET', `${base}/apikeys`, { token: admin })).body.items as Item[]
    assertIdOrder(all, made)
    const paged: Item[] = []
    let next = ''
    do {
      const r = await s.request('GET', `${base}/apikeys?limit=2${next ? `&continue=${next}` : ''}`, { token: admin })
      paged.push(...r.body.items)
      next = r.body.continue ?? ''
    } while (next)
    assert.deepEqual(paged.map((k) => k.id), all.map((k) => k.id))
  })

  test('cluster credentials created within one second list by id', async () => {
    const made = await sixInOneSecond(async () => {
      const r = await s.request('POST', `${base}/clusters/web/credentials`, { token: admin, body: {} })
      assert.equal(r.status, 201, r.text)
      return r.body
    })
    assertIdOrder((await s.request('GET', `${base}/clusters/web/credentials`, { token: admin })).body.items, made)
  })

  test('a bad continue token is 400 before the cluster is looked up (§1.9)', async () => {
    const r = await s.request('GET', `${base}/clusters/nope/credentials?continue=garbage`, { token: admin })
    assert.deepEqual([r.status, r.body], [400, { error: 'Invalid continue token' }])
  })
})
