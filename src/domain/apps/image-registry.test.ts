import assert from 'node:assert/strict'
import { test } from 'node:test'
import { registryAllowed, registryOf } from './image-registry.js'

test('the registry of an image is read as container runtimes read it', () => {
  assert.equal(registryOf('nginx'), 'docker.io')
  assert.equal(registryOf('nginx:1.25'), 'docker.io')
  assert.equal(registryOf('library/nginx'), 'docker.io', 'kubeOP read this as host "library"')
  assert.equal(registryOf('ghcr.io/acme/web:2'), 'ghcr.io')
  assert.equal(registryOf('localhost/web'), 'localhost')
  assert.equal(registryOf('registry.local:5000/team/app@sha256:' + 'a'.repeat(64)), 'registry.local:5000')
  assert.equal(registryOf('kupe.local/busybox:1.36'), 'kupe.local')
})

test('malformed references have no registry', () => {
  for (const bad of ['', 'UPPER/case', 'a b', 'web:', 'ghcr.io//x', 'x@sha256:short']) assert.equal(registryOf(bad), undefined, bad)
})

test('an empty allow-list allows all; otherwise only listed hosts', () => {
  assert.equal(registryAllowed('evil.io', []), true)
  assert.equal(registryAllowed('evil.io', ['ghcr.io']), false)
  assert.equal(registryAllowed('ghcr.io', ['ghcr.io']), true)
  assert.equal(registryAllowed('docker.io', ['index.docker.io']), true)
})
