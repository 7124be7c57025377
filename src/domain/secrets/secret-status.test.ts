import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SyncStatus } from './schema.js'
import type { StoredSyncStatus } from './schema.js'
import { alignSyncStatuses, secretPhaseOf, summariseSecretStatus, targetKey } from './secret-status.js'

const target = (phase: SyncStatus['phase'], namespace = 'n'): StoredSyncStatus => ({
  cluster: 'c', namespace, secretName: 's', phase, message: '',
})

describe('secret status rules (spec §5.4)', () => {
  test('phase: first rule that applies', () => {
    assert.equal(secretPhaseOf([]), 'Synced', 'no targets')
    assert.equal(secretPhaseOf([target('Synced'), target('Synced')]), 'Synced')
    assert.equal(secretPhaseOf([target('Failed'), target('Failed')]), 'Failed')
    assert.equal(secretPhaseOf([target('Synced'), target('Failed')]), 'Degraded')
    assert.equal(secretPhaseOf([target('Pending'), target('Failed')]), 'Degraded', 'any Failed beats Pending')
    assert.equal(secretPhaseOf([target('Synced'), target('Pending')]), 'Pending')
  })

  test('Ready is True exactly when Synced; its transition time moves only when it flips', () => {
    const t0 = new Date('2026-04-06T12:00:00Z')
    const t1 = new Date('2026-04-06T12:05:00Z')
    const t2 = new Date('2026-04-06T12:09:00Z')
    const pending = summariseSecretStatus([target('Pending'), target('Synced', 'm')], [], t0)
    assert.deepEqual(pending.conditions, [
      { type: 'Ready', status: 'False', reason: 'Pending', message: '1 of 2 targets synced', lastTransitionTime: '2026-04-06T12:00:00Z' },
    ])
    const degraded = summariseSecretStatus([target('Failed'), target('Synced', 'm')], pending.conditions, t1)
    assert.deepEqual(degraded.conditions[0], {
      type: 'Ready', status: 'False', reason: 'SyncFailed', message: '1 of 2 targets synced', lastTransitionTime: '2026-04-06T12:00:00Z',
    })
    const synced = summariseSecretStatus([target('Synced'), target('Synced', 'm')], degraded.conditions, t2)
    assert.deepEqual(synced.conditions[0], {
      type: 'Ready', status: 'True', reason: 'Synced', message: '2 of 2 targets synced', lastTransitionTime: '2026-04-06T12:09:00Z',
    })
    assert.equal(summariseSecretStatus([], [], t0).conditions[0]?.message, 'No sync targets')
  })

  test('alignment keeps statuses of targets that stay, in the new order, by effective name', () => {
    const held: StoredSyncStatus = { ...target('Synced'), secretName: 'app', sourceVersion: 3, lastSyncTime: '2026-04-06T12:00:00Z' }
    const aligned = alignSyncStatuses('app', [{ cluster: 'c', namespace: 'other' }, { cluster: 'c', namespace: 'n', secretName: 'app' }], [held])
    assert.deepEqual(aligned, [
      { cluster: 'c', namespace: 'other', secretName: 'app', phase: 'Pending', message: '' },
      held,
    ])
    assert.equal(targetKey({ cluster: 'c', namespace: 'n' }, 'app'), targetKey({ cluster: 'c', namespace: 'n', secretName: 'app' }, 'x'))
  })
})
