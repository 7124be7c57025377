import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, test } from 'node:test'
import { eventually } from './helpers/eventually.js'
import { newServerState, startServerProcess, type ServerProcess, type ServerState } from './helpers/server-process.js'

// Durability and races on a real `kupe server` process (issue 12 item 5), on the engine the suite
// runs against: PGlite in the data directory, or PostgreSQL. `kill -9` in the middle of many
// concurrent writes loses none that was acknowledged, and the controllers finish what the dead
// process left half done; racing If-Match PATCHes let exactly one through.

const TENANT = 'durable'
const VAULT_WRITES = 1100
const CLUSTERS = 30
const IN_FLIGHT = 48
/** Acknowledged writes before the kill: well inside the run, so writes are in flight when it lands. */
const KILL_AFTER = 400

interface Outcome {
  kind: 'vault' | 'cluster'
  key: string
  /** The HTTP status, or undefined when the connection died with the process. */
  status?: number
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers }
}

const vaultValue = (i: number) => ({ data: { n: String(i), note: `write ${i}` } })

describe('a kupe server process killed with SIGKILL during concurrent writes', () => {
  let state: ServerState
  let server: ServerProcess | undefined
  let key = ''
  after(async () => {
    await server?.stop()
    if (state) rmSync(state.dataDir, { recursive: true, force: true })
  })

  test(`${VAULT_WRITES + CLUSTERS} concurrent writes, kill -9, restart: every acknowledged write is there and clusters converge`, { timeout: 120_000 }, async (t) => {
    state = await newServerState()
    server = await startServerProcess(state)
    const created = await call(server.url, state.adminToken, 'POST', '/api/v1/admin/tenants', {
      name: TENANT, contactEmail: 'ops@durable.example.com', owner: 'owner@durable.example.com', plan: 'enterprise',
    })
    assert.equal(created.status, 201)
    key = created.body.apiKey.key as string

    // Vault writes at distinct paths with a cluster creation among every few dozen, from IN_FLIGHT workers.
    const base = server.url
    const victim = server
    const jobs: Array<() => Promise<Outcome>> = []
    for (let i = 0; i < VAULT_WRITES; i++) {
      const path = `app/w${i}`
      jobs.push(async () => ({ kind: 'vault', key: path, status: (await call(base, key, 'PUT', `/api/v1/tenants/${TENANT}/vault/${path}`, vaultValue(i))).status }))
      const c = i / Math.floor(VAULT_WRITES / CLUSTERS)
      if (Number.isInteger(c) && c < CLUSTERS) {
        const name = `c${c}`
        jobs.push(async () => ({ kind: 'cluster', key: name, status: (await call(base, key, 'POST', `/api/v1/tenants/${TENANT}/clusters`, { name })).status }))
      }
    }
    const outcomes: Outcome[] = []
    let acknowledged = 0
    let killed: Promise<void> | undefined
    let next = 0
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!
        const outcome = await job().catch(() => undefined)
        if (!outcome) continue // the connection died with the process: not acknowledged
        outcomes.push(outcome)
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) acknowledged++
        if (acknowledged >= KILL_AFTER && !killed) killed = victim.kill9()
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
    assert.ok(killed, 'the process was killed during the writes')
    await killed
    const acked = outcomes.filter((o) => o.status !== undefined && o.status >= 200 && o.status < 300)
    // 503 is the only refusal allowed: no database connection in time under this burst (the
    // write did not happen; the client retries). Anything else answered before the kill is a success.
    const busy = outcomes.filter((o) => o.status === 503)
    const refused = outcomes.filter((o) => o.status !== undefined && o.status !== 503 && (o.status < 200 || o.status >= 300))
    assert.deepEqual(refused.map((o) => `${o.kind} ${o.key} ${o.status}`), [])
    assert.ok(acked.length >= KILL_AFTER && acked.length < jobs.length, `killed mid-way: ${acked.length}/${jobs.length} acknowledged`)

    t.diagnostic(`${acked.length} of ${jobs.length} writes acknowledged before the kill, ${busy.length} answered 503`)
    server = await startServerProcess(state)
    const after = server.url
    const missing: string[] = []
    for (const o of acked.filter((x) => x.kind === 'vault')) {
      const r = await call(after, key, 'GET', `/api/v1/tenants/${TENANT}/vault/${o.key}`)
      const i = Number(o.key.slice('app/w'.length))
      if (r.status !== 200 || JSON.stringify(r.body.data) !== JSON.stringify(vaultValue(i).data)) missing.push(`${o.key}: ${r.status}`)
    }
    const ackedClusters = acked.filter((x) => x.kind === 'cluster').map((x) => x.key)
    assert.ok(ackedClusters.length > 0, 'some cluster creations were acknowledged before the kill')
    const listed = await call(after, key, 'GET', `/api/v1/tenants/${TENANT}/clusters`)
    const names = new Set((listed.body.items as Array<{ name: string }>).map((c) => c.name))
    for (const name of ackedClusters) if (!names.has(name)) missing.push(`cluster ${name}`)
    assert.deepEqual(missing, [], 'acknowledged writes lost')

    // Every cluster that exists (acknowledged or not) is carried to Running by the new process.
    await eventually(async () => {
      const r = await call(after, key, 'GET', `/api/v1/tenants/${TENANT}/clusters`)
      const items = r.body.items as Array<{ name: string; generation: number; status: { phase: string; observedGeneration?: number } }>
      return items.every((c) => c.status.phase === 'Running' && c.status.observedGeneration === c.generation) ? items : undefined
    }, 60_000, 'every cluster Running after the restart', 250)
  })

  test('50 racing If-Match PATCHes on one cluster of the restarted process: one 200, 49 × 412', { timeout: 60_000 }, async () => {
    assert.ok(server && key, 'runs after the crash test')
    const path = `/api/v1/tenants/${TENANT}/clusters/c0`
    const current = await call(server.url, key, 'GET', path)
    assert.equal(current.status, 200)
    const etag = current.headers.get('etag')!
    const base = server.url
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      fetch(`${base}${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify({ alerts: { [`writer${i}`]: { enabled: true } } }),
      }).then(async (r) => ({ status: r.status, body: await r.json() as { alerts?: Record<string, unknown> } }))))
    const tally: Record<number, number> = {}
    for (const r of results) tally[r.status] = (tally[r.status] ?? 0) + 1
    assert.deepEqual(tally, { 200: 1, 412: 49 })
    const winner = results.find((r) => r.status === 200)!
    const final = await call(base, key, 'GET', path)
    assert.deepEqual(final.body.alerts, winner.body.alerts, 'the winner is what the cluster holds')
    assert.equal(final.body.generation, current.body.generation + 1)
  })
})
