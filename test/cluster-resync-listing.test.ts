import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { clusterController } from '../src/controllers/cluster-controller.js'
import { ManualClock } from '../src/lib/clock.js'
import { listUnsettledClusterIds } from '../src/store/clusters.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// With a provider whose health cannot change, the cluster controller's resync looks only at the
// clusters not yet settled, read a page at a time (decision 0039). On a clock that stands still
// every cluster is created in the same millisecond: the pages must not lose or repeat one there.
describe('the cluster resync lists the unsettled clusters', () => {
  const clock = new ManualClock(new Date('2026-06-02T09:00:00Z'))
  let s: TestServer
  let key: string
  const idOf = async (name: string): Promise<string> => {
    const row = await s.server.container.db.selectFrom('clusters').select('id').where('name', '=', name).executeTakeFirstOrThrow()
    return row.id
  }
  const create = async (name: string) => {
    const r = await s.request('POST', '/api/v1/tenants/resync/clusters', { token: key, body: { name } })
    assert.equal(r.status, 201, r.text)
  }

  before(async () => {
    s = await startTestServer({ clock })
    key = (await s.createTenant('resync', { plan: 'business' })).key
    await create('steady')
    await eventually(async () => {
      clock.advance(1000)
      const r = await s.request('GET', '/api/v1/tenants/resync/clusters/steady', { token: key })
      return r.body.status.phase === 'Running' && r.body.status.observedGeneration === r.body.generation ? true : undefined
    }, 30_000, 'steady Running')
  })
  after(() => s.stop())

  test('every cluster still on its way, once each, in creation order; not the Running one', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5']
    for (const name of names) await create(name) // the clock stands still: one created_at for all
    const pending = await Promise.all(names.map(idOf))
    const expected = [...pending].sort()
    // Pages of two: the five tie on created_at, so only the id orders them across pages.
    assert.deepEqual(await listUnsettledClusterIds(s.server.container.db, 2), expected)
    assert.deepEqual(await listUnsettledClusterIds(s.server.container.db), expected)
    assert.deepEqual(await clusterController.listKeys(s.server.container), expected)
    assert.ok(!(await listUnsettledClusterIds(s.server.container.db, 2)).includes(await idOf('steady')))
  })
})
