import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'yaml'
import { kubeconfigPathOf, mergeKubeconfig } from './kubeconfig.js'

const existing = `apiVersion: v1
kind: Config
preferences: {colors: true}
clusters:
- name: other
  cluster: {server: https://other.example.com}
- name: kupe-acme-web
  cluster: {server: https://old.example.com}
users:
- name: other
  user: {token: other-token}
contexts:
- name: other
  context: {cluster: other, user: other}
current-context: other
`

const incoming = `apiVersion: v1
kind: Config
clusters:
- name: kupe-acme-web
  cluster: {server: https://web.example.com, certificate-authority-data: Q0E=}
users:
- name: kupe-acme-web
  user: {token: kupec_new}
contexts:
- name: kupe-acme-web
  context: {cluster: kupe-acme-web, user: kupe-acme-web}
current-context: kupe-acme-web
`

describe('kubeconfig merge', () => {
  test('adds the new entries, replaces the one of the same name and keeps everything else', () => {
    const merged = parse(mergeKubeconfig(existing, incoming, { setCurrent: true, path: 'x' }))
    assert.deepEqual(merged.clusters.map((c: { name: string }) => c.name), ['other', 'kupe-acme-web'])
    assert.equal(merged.clusters[1].cluster.server, 'https://web.example.com')
    assert.deepEqual(merged.users.map((u: { name: string }) => u.name), ['other', 'kupe-acme-web'])
    assert.equal(merged.users[0].user.token, 'other-token')
    assert.deepEqual(merged.contexts.map((c: { name: string }) => c.name), ['other', 'kupe-acme-web'])
    assert.deepEqual(merged.preferences, { colors: true })
    assert.equal(merged['current-context'], 'kupe-acme-web')
  })

  test('--no-set-current keeps the current context; an empty file becomes a full kubeconfig', () => {
    assert.equal(parse(mergeKubeconfig(existing, incoming, { setCurrent: false, path: 'x' }))['current-context'], 'other')
    const fresh = parse(mergeKubeconfig(undefined, incoming, { setCurrent: true, path: 'x' }))
    assert.equal(fresh.apiVersion, 'v1')
    assert.equal(fresh.kind, 'Config')
    assert.equal(fresh.contexts.length, 1)
  })

  test('the file is --file, else the first KUBECONFIG entry, else ~/.kube/config', () => {
    assert.equal(kubeconfigPathOf('/f', { KUBECONFIG: '/a:/b' }), '/f')
    assert.equal(kubeconfigPathOf(undefined, { KUBECONFIG: ':/a:/b', HOME: '/h' }), '/a')
    assert.equal(kubeconfigPathOf(undefined, { HOME: '/h' }), '/h/.kube/config')
  })
})
