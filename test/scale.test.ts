import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * Issue #14: what one write costs does not grow with how many tenants and clusters exist. The
 * server seeds tenants with five clusters each in two rounds, the second four times the first;
 * each cluster's reconciles and each read's cache behaviour are the same in both rounds, and
 * every cluster reaches Running. `npm run bench:scale` does the same at N = 10,000.
 */
describe('cost that grows with the work', () => {
  let s: TestServer
  const keys = new Map<string, string>()
  before(async () => {
    s = await startTestServer({ overrides: { simulatedStepSeconds: '1' } })
  })
  after(() => s.stop())

  /** The server's counter summed over the labels that match `labels` (e.g. `controller="clusters"`). */
  async function counter(name: string, labels = ''): Promise<number> {
    const text = (await s.request('GET', '/metrics')).text
    let sum = 0
    for (const m of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) if (m[1]!.includes(labels)) sum += Number(m[2])
    return sum
  }
  const reconciles = () => counter('kupe_reconcile_total', 'controller="clusters"')
  const misses = () => counter('kupe_read_cache_lookups_total', 'result="miss"')

  /** Creates tenants [from, to) with five clusters each, eight clients at a time, and waits until every cluster is Running. */
  async function seed(from: number, to: number): Promise<void> {
    let next = from
    const client = async () => {
      for (let i = next++; i < to; i = next++) {
        const name = `s${i}`
        const { key } = await s.createTenant(name)
        keys.set(name, key)
        for (let c = 1; c <= 5; c++) {
          const r = await s.request('POST', `/api/v1/tenants/${name}/clusters`, { token: key, body: { name: `c${c}`, resources: { cpu: '1', memory: '2Gi' } } })
          assert.equal(r.status, 201, r.text)
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, client))
    await eventually(async () => {
      for (let i = from; i < to; i++) {
        const list = await s.request('GET', `/api/v1/tenants/s${i}/clusters`, { token: keys.get(`s${i}`)! })
        if (list.body.items.length !== 5 || list.body.items.some((c: { status: { phase: string } }) => c.status.phase !== 'Running')) return undefined
      }
      return true
    }, 60_000, `every cluster of s${from}…s${to - 1} Running`)
  }

  test('each cluster costs the same reconciles whether 20 or 100 clusters exist', async () => {
    const r0 = await reconciles()
    await seed(0, 4)
    const first = (await reconciles()) - r0
    const r1 = await reconciles()
    await seed(4, 20)
    const second = (await reconciles()) - r1
    // Start, then finish one simulated step later: two passes per cluster, and a few for races
    // with the API's writes. Were every write a listing of every cluster, the second round would
    // run about as many reconciles per cluster as there are clusters.
    assert.ok(first / 20 <= 4, `${first} reconciles for the first 20 clusters`)
    assert.ok(second / 80 <= 4, `${second} reconciles for the next 80 clusters`)
    assert.ok(second / 80 <= (first / 20) * 1.5 + 0.5, `per cluster: ${first / 20} in the first round, ${second / 80} in the second`)
  })

  test('every cluster of a sample of tenants is Running with the simulated provider', async () => {
    for (const name of ['s0', 's7', 's13', 's19']) {
      const list = await s.request('GET', `/api/v1/tenants/${name}/clusters`, { token: keys.get(name)! })
      assert.equal(list.status, 200)
      assert.deepEqual(list.body.items.map((c: { name: string; status: { phase: string } }) => [c.name, c.status.phase]), [
        ['c1', 'Running'], ['c2', 'Running'], ['c3', 'Running'], ['c4', 'Running'], ['c5', 'Running'],
      ])
    }
  })

  test("one tenant's writes leave other tenants' cached reads in place", async () => {
    const read = (t: string) => s.request('GET', `/api/v1/tenants/${t}/clusters/c1`, { token: keys.get(t)! })
    const view = (t: string) => s.request('GET', `/api/v1/tenants/${t}`, { token: keys.get(t)! })
    for (const t of ['s1', 's2']) {
      assert.equal((await read(t)).status, 200)
      assert.equal((await view(t)).status, 200)
    }
    const before = await misses()
    assert.equal((await read('s2')).status, 200)
    assert.equal((await view('s2')).status, 200)
    assert.equal(await misses(), before, "s2's cluster and tenant are served from the cache")
    // s1 writes: a new cluster is impossible (five is the plan's limit), so resize one.
    const resized = await s.request('PATCH', '/api/v1/tenants/s1/clusters/c1', { token: keys.get('s1')!, body: { resources: { cpu: '2', memory: '2Gi' } } })
    assert.equal(resized.status, 200, resized.text)
    await eventually(async () => ((await read('s1')).body.status.observedGeneration === 2 ? true : undefined), 20_000, 's1/c1 at generation 2')
    const afterWrites = await misses()
    assert.equal((await read('s2')).status, 200)
    assert.equal((await view('s2')).status, 200)
    assert.equal(await misses(), afterWrites, "s1's resize and its reconciles did not drop s2's entries")
    // s1's own reads see its write at once.
    assert.equal((await read('s1')).body.resources.cpu, '2')
    assert.equal((await view('s1')).body.status.allocatedResources.cpu, '6')
  })
})
