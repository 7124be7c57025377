import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Type } from '@sinclair/typebox'
import { deriveKeys } from '../../lib/secrets-crypto.js'
import type { ClusterRow } from '../../store/db.js'
import { sealClusterCa } from './cluster-ca.js'
import { toProviderCluster, toProviderClusterWithCa } from './provider-cluster-mapper.js'

const keys = deriveKeys(Buffer.from('a master key for this test only, 32+ bytes'))
/** A provider's declared state, as the local provider declares its own. */
const local = { name: 'local', stateSchema: Type.Object({ port: Type.Optional(Type.Integer()), adminCertPem: Type.Optional(Type.String()) }) }
const ca = { certPem: '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n', keyPem: '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n' }

function row(over: Partial<ClusterRow> = {}): ClusterRow {
  return {
    id: 'c-1', tenant_id: 't-1', name: 'web', display_name: 'web', type: 'shared', version: '1.33', high_availability: false,
    resources: { cpu: '2' }, alerts: null, generation: 2, resource_version: '7', created_at: new Date(0), deletion_requested_at: null,
    status: { phase: 'Running', endpoint: 'https://127.0.0.1:6443', observedGeneration: 2, conditions: [] },
    controller_state: { ca: sealClusterCa(keys, 'c-1', ca), runningVersion: '1.32', failedGeneration: 1 },
    provider_state: { port: 6443, adminCertPem: 'cert' }, settled: false,
    ...over,
  }
}

test('the provider sees the spec, the version running, the endpoint handed out and the CA certificate, never the key', () => {
  const view = toProviderCluster(row(), local)
  assert.deepEqual(view, {
    id: 'c-1', tenantId: 't-1', name: 'web', type: 'shared', version: '1.33', runningVersion: '1.32', highAvailability: false,
    resources: { cpu: '2' }, endpoint: 'https://127.0.0.1:6443', ca: { certPem: ca.certPem }, state: { port: 6443, adminCertPem: 'cert' },
  })
  assert.ok(!JSON.stringify(view).includes('PRIVATE KEY'))
})

test('provisioning gets the CA with its key, opened for this cluster only', () => {
  assert.deepEqual(toProviderClusterWithCa(row(), local, keys).ca, ca)
  assert.throws(() => toProviderClusterWithCa(row({ id: 'c-2' }), local, keys), 'a CA sealed for c-1 does not open as c-2')
  assert.throws(() => toProviderClusterWithCa(row({ controller_state: {} }), local, keys), /has no CA yet/)
})

test('a saved state of another shape is refused, naming the field and never its value', () => {
  const wrong = row({ provider_state: { port: 'hunter2-not-a-port' } })
  assert.throws(() => toProviderCluster(wrong, local), (err: Error) => {
    assert.match(err.message, /cluster c-1: the saved state does not match the local provider's schema \(\/port: /)
    assert.ok(!err.message.includes('hunter2'))
    return true
  })
})
