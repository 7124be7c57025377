import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createKupeClient } from '../api/client.js'
import { defaultRetryPolicy } from '../api/retrying-fetch.js'
import { editSecretTargets } from './edit-secret-targets.js'
import { exitCodeFor } from './exit-codes.js'

const secret = (rv: string, sync: Array<{ cluster: string; namespace: string }>) => ({
  name: 'db', secretPath: 'prod/db', sync, resourceVersion: rv, createdAt: '2026-04-06T12:00:00Z',
  status: { phase: 'Synced', conditions: [], syncStatuses: [] },
})

/** A fake server: GETs see `versions` in turn; PATCHes answer from `patches` in turn. */
function fakeServer(versions: Array<ReturnType<typeof secret>>, patches: number[]) {
  const log: string[] = []
  const transport = (async (req: Request) => {
    if (req.method === 'GET') {
      const s = versions.shift()!
      log.push(`GET`)
      return new Response(JSON.stringify(s), { status: 200, headers: { etag: `"${s.resourceVersion}"`, 'content-type': 'application/json' } })
    }
    const status = patches.shift()!
    log.push(`PATCH if-match=${req.headers.get('if-match')} ${await req.text()}`)
    const body = status === 200 ? secret('99', []) : { error: 'ETag mismatch' }
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  const api = createKupeClient({ baseUrl: 'http://kupe.test', token: 't', policy: defaultRetryPolicy, hooks: { sleep: async () => {}, notice: () => {} }, transport })
  return { api, log }
}

const addStaging = (s: { sync?: Array<{ cluster: string; namespace: string }> }) => ({ sync: [...(s.sync ?? []), { cluster: 'staging', namespace: 'default' }] })

describe('editing the sync targets of a secret', () => {
  test('GET → edit → PATCH with If-Match; on 412 the edit is re-applied to a fresh copy once', async () => {
    const { api, log } = fakeServer([secret('10', [{ cluster: 'web', namespace: 'a' }]), secret('11', [{ cluster: 'web', namespace: 'b' }])], [412, 200])
    const r = await editSecretTargets(api, 'acme', 'db', addStaging)
    assert.equal(r.changed, true)
    assert.deepEqual(log, [
      'GET',
      'PATCH if-match="10" {"sync":[{"cluster":"web","namespace":"a"},{"cluster":"staging","namespace":"default"}]}',
      'GET',
      'PATCH if-match="11" {"sync":[{"cluster":"web","namespace":"b"},{"cluster":"staging","namespace":"default"}]}',
    ])
  })

  test('a second 412 is reported as a conflict (exit 5)', async () => {
    const { api, log } = fakeServer([secret('10', []), secret('11', [])], [412, 412])
    await assert.rejects(editSecretTargets(api, 'acme', 'db', addStaging), (err) => exitCodeFor(err) === 5)
    assert.equal(log.length, 4)
  })

  test('an edit that changes nothing sends no PATCH', async () => {
    const { api, log } = fakeServer([secret('10', [])], [])
    const r = await editSecretTargets(api, 'acme', 'db', () => ({ unchanged: 'already there' }))
    assert.deepEqual([r.changed, r.reason, log], [false, 'already there', ['GET']])
  })
})
