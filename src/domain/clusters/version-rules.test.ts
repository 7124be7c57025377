import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultVersion, isRetiring, versionChangeError } from './version-rules.js'

const supported = ['1.31', '1.32', '1.33']

test('the default is the newest supported version, whatever the configured order', () => {
  assert.equal(defaultVersion(supported), '1.33')
  assert.equal(defaultVersion(['1.9', '1.10', '1.8']), '1.10')
})

test('only the oldest supported version is retiring', () => {
  assert.equal(isRetiring('1.31', supported), true)
  assert.equal(isRetiring('1.32', supported), false)
})

test('the only version offered is not retiring', () => {
  assert.equal(isRetiring('1.37', ['1.37']), false)
})

test('keeping the current version is always allowed, even once it is no longer offered', () => {
  assert.equal(versionChangeError('1.32', '1.32', supported), undefined)
  assert.equal(versionChangeError('1.30', '1.30', supported), undefined)
})

test('the next minor of the same major is the only allowed upgrade', () => {
  assert.equal(versionChangeError('1.31', '1.32', supported), undefined)
  const skip = versionChangeError('1.31', '1.33', supported)
  assert.equal(skip?.code, 'CLUSTER_UPGRADE_SKIP')
  assert.equal(skip?.message, 'Kubernetes upgrades must go one minor version at a time (1.31 to 1.32)')
  assert.equal(skip?.field, 'spec.version')
})

test('unsupported is checked before downgrade, downgrade before skip', () => {
  const unsupported = versionChangeError('1.33', '1.29', supported)
  assert.equal(unsupported?.code, 'CLUSTER_VERSION_UNSUPPORTED')
  assert.equal(unsupported?.message, 'Kubernetes version "1.29" is not supported (supported: 1.31, 1.32, 1.33)')
  const down = versionChangeError('1.33', '1.31', supported)
  assert.equal(down?.code, 'CLUSTER_VERSION_DOWNGRADE')
  assert.equal(down?.message, 'Kubernetes version cannot be downgraded from 1.33 to 1.31')
})

test('minor versions compare as numbers, not strings', () => {
  const versions = ['1.9', '1.10', '1.11']
  assert.equal(versionChangeError('1.9', '1.10', versions), undefined)
  assert.equal(versionChangeError('1.10', '1.9', versions)?.code, 'CLUSTER_VERSION_DOWNGRADE')
  assert.equal(versionChangeError('1.9', '1.11', versions)?.message, 'Kubernetes upgrades must go one minor version at a time (1.9 to 1.10)')
})

test('a new major is never the next minor', () => {
  assert.equal(versionChangeError('1.33', '2.0', ['1.33', '2.0'])?.code, 'CLUSTER_UPGRADE_SKIP')
})
