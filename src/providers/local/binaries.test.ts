import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { findKubeReleases } from './binaries.js'
import { prefixRangeEnd } from './etcd.js'

const root = mkdtempSync(join(tmpdir(), 'kupe-releases-'))
after(() => rmSync(root, { recursive: true, force: true }))

function release(version: string, binaries = ['kube-apiserver', 'kube-controller-manager', 'etcd'], manifest: unknown = { kubernetes: version }): string {
  const dir = join(root, version)
  mkdirSync(dir, { recursive: true })
  for (const b of binaries) {
    writeFileSync(join(dir, b), '#!/bin/sh\n')
    chmodSync(join(dir, b), 0o755)
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

test('versions offered are the complete releases built, oldest first, newest patch of each minor', () => {
  release('v1.36.4')
  release('v1.37.1')
  release('v1.37.2', ['kube-apiserver', 'kupe-apiserver', 'kube-controller-manager', 'etcd'])
  release('v1.38.0', ['kube-apiserver', 'etcd']) // no controller manager: incomplete
  release('v1.39.0', undefined, { kubernetes: 'not-a-release' })
  mkdirSync(join(root, 'notes'))
  const found = findKubeReleases(root)
  assert.deepEqual(found.map((r) => [r.version, r.minor, r.tokenCacheConfigurable]), [['v1.36.4', '1.36', false], ['v1.37.2', '1.37', true]])
  assert.equal(found[1]!.apiserver, join(root, 'v1.37.2', 'kupe-apiserver'))
  assert.equal(found[0]!.apiserver, join(root, 'v1.36.4', 'kube-apiserver'))
})

test('a release directory itself is one release; a missing directory has none', () => {
  assert.deepEqual(findKubeReleases(join(root, 'v1.36.4')).map((r) => r.version), ['v1.36.4'])
  assert.deepEqual(findKubeReleases(join(root, 'nowhere')), [])
})

test('an etcd prefix ends just after its last key, so no other cluster is in the range', () => {
  assert.equal(prefixRangeEnd('/kupe/abc/').toString(), '/kupe/abc0')
  assert.ok('/kupe/abc/registry/secrets/x' < prefixRangeEnd('/kupe/abc/').toString())
  assert.ok('/kupe/abcd/registry' >= prefixRangeEnd('/kupe/abc/').toString(), 'a cluster whose id extends this one is outside')
  assert.deepEqual([...prefixRangeEnd('a\xff')], [0x61, 0xc3, 0xc0]) // UTF-8 bytes, last one incremented
})
