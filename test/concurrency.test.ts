import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestResponse, type TestServer } from './helpers/server.js'

// Optimistic concurrency (spec §1.6): many writers racing with the same If-Match — exactly one
// wins, every other one gets 412 and changes nothing. Every PATCH would change something, so a
// loser cannot hide behind a no-op. Runs on both engines (PGlite serialises connections through
// a mutex; PostgreSQL really runs the transactions side by side).

const WRITERS = 50

function tally(results: TestResponse[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const r of results) out[r.status] = (out[r.status] ?? 0) + 1
  return out
}

function assertOneWinner(results: TestResponse[]): TestResponse {
  assert.deepEqual(tally(results), { 200: 1, 412: WRITERS - 1 })
  for (const r of results.filter((x) => x.status === 412)) assert.deepEqual(r.body, { error: 'ETag mismatch' })
  return results.find((r) => r.status === 200)!
}

describe(`${WRITERS} concurrent PATCHes with one If-Match`, () => {
  let s: TestServer
  let admin: string
  before(async () => {
    s = await startTestServer()
    admin = (await s.createTenant('race-acme')).key
  })
  after(() => s.stop())

  test('tenant settings: one 200, the rest 412, and the winner is what the tenant holds', async () => {
    const path = '/api/v1/tenants/race-acme'
    const initial = await s.request('GET', path, { token: admin })
    assert.equal(initial.status, 200)
    const etag = initial.headers.get('etag')!
    const { enforceLogLimit, enforceMetricsLimit } = initial.body as { enforceLogLimit: boolean; enforceMetricsLimit: boolean }
    // Every body flips enforceLogLimit; half also flip enforceMetricsLimit: all differ from now.
    const bodies = Array.from({ length: WRITERS }, (_, i) => ({
      enforceLogLimit: !enforceLogLimit,
      enforceMetricsLimit: i % 2 === 0 ? enforceMetricsLimit : !enforceMetricsLimit,
    }))
    const results = await Promise.all(bodies.map((body) => s.request('PATCH', path, { token: admin, body, headers: { 'if-match': etag } })))
    const winner = assertOneWinner(results)
    assert.notEqual(winner.headers.get('etag'), etag)
    assert.ok(BigInt(winner.body.resourceVersion) > BigInt(initial.body.resourceVersion))

    const final = await s.request('GET', path, { token: admin })
    assert.equal(final.headers.get('etag'), winner.headers.get('etag'), 'only the winner wrote')
    assert.equal(final.body.enforceLogLimit, winner.body.enforceLogLimit)
    assert.equal(final.body.enforceMetricsLimit, winner.body.enforceMetricsLimit)
  })

  test('a cluster: one 200, the rest 412, generation moved by exactly one', async () => {
    const created = await s.request('POST', '/api/v1/tenants/race-acme/clusters', { token: admin, body: { name: 'race-web', alerts: { start: { enabled: true } } } })
    assert.equal(created.status, 201, created.text)
    const path = '/api/v1/tenants/race-acme/clusters/race-web'
    // Controllers give the cluster new resourceVersions while it provisions: race once it is settled.
    const current = await eventually(async () => {
      const r = await s.request('GET', path, { token: admin })
      return r.body.status.phase === 'Running' && r.body.status.observedGeneration === r.body.generation ? r : undefined
    }, 30_000, 'cluster Running')
    const etag = current.headers.get('etag')!
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => s.request('PATCH', path, { token: admin, body: { alerts: { [`writer${i}`]: { enabled: true } } }, headers: { 'if-match': etag } })),
    )
    const winner = assertOneWinner(results)
    const final = await s.request('GET', path, { token: admin })
    assert.equal(final.body.generation, current.body.generation + 1)
    assert.deepEqual(final.body.alerts, winner.body.alerts)
    assert.equal(Object.keys(final.body.alerts).length, 1)
  })

  test('a secret: one 200, the rest 412, the winner’s targets kept', async () => {
    const created = await s.request('POST', '/api/v1/tenants/race-acme/secrets', { token: admin, body: { name: 'race-db', secretPath: 'race/db' } })
    assert.equal(created.status, 201, created.text)
    const path = '/api/v1/tenants/race-acme/secrets/race-db'
    // The sync controller writes the secret's status once after creation: race once it has.
    const settled = await eventually(async () => {
      const r = await s.request('GET', path, { token: admin })
      return r.body.status.phase === 'Synced' ? r : undefined
    }, 30_000, 'secret status written')
    const etag = settled.headers.get('etag')!
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => s.request('PATCH', path, { token: admin, body: { sync: [{ cluster: 'race-web', namespace: `ns-${i}` }] }, headers: { 'if-match': etag } })),
    )
    const winner = assertOneWinner(results)
    const final = await s.request('GET', path, { token: admin })
    assert.deepEqual(final.body.sync, winner.body.sync)
  })

  test('without If-Match every write is still atomic: all 200, and the last one is whole', async () => {
    const path = '/api/v1/tenants/race-acme/clusters/race-web'
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.request('PATCH', path, { token: admin, body: { resources: { cpu: `${(i % 3) + 1}`, memory: `${(i % 3) + 1}Gi` } } })),
    )
    assert.deepEqual(tally(results), { 200: 20 })
    const final = await s.request('GET', path, { token: admin })
    const { cpu, memory } = final.body.resources as { cpu: string; memory: string }
    assert.equal(`${cpu}Gi`, memory, 'cpu and memory come from the same request')
  })
})
