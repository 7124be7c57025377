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
  test('adds the new entries, replaces the one of the same name and keeps everything else', async () => {
    const merged = parse(await mergeKubeconfig(existing, incoming, { setCurrent: true, path: 'x' }))
    assert.deepEqual(merged.clusters.map((c: { name: string }) => c.name), ['other', 'kupe-acme-web'])
    assert.equal(merged.clusters[1].cluster.server, 'https://web.example.com')
    assert.deepEqual(merged.users.map((u: { name: string }) => u.name), ['other', 'kupe-acme-web'])
    assert.equal(merged.users[0].user.token, 'other-token')
    assert.deepEqual(merged.contexts.map((c: { name: string }) => c.name), ['other', 'kupe-acme-web'])
    assert.deepEqual(merged.preferences, { colors: true })
    assert.equal(merged['current-context'], 'kupe-acme-web')
  })

  test('--no-set-current keeps the current context; an empty file becomes a full kubeconfig', async () => {
    assert.equal(parse(await mergeKubeconfig(existing, incoming, { setCurrent: false, path: 'x' }))['current-context'], 'other')
    const fresh = parse(await mergeKubeconfig(undefined, incoming, { setCurrent: true, path: 'x' }))
    assert.equal(fresh.apiVersion, 'v1')
    assert.equal(fresh.kind, 'Config')
    assert.equal(fresh.contexts.length, 1)
  })

  test('what the client library does not model survives: comments, extensions, token-file, exec', async () => {
    const mine = `# my clusters
apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: {server: https://lab:6443, disable-compression: true, extensions: [{name: x, extension: {a: 1}}]}
users:
- name: lab
  user: {token-file: /secret/token, as-groups: [admins]}
- name: cloud
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: cloud-auth, interactiveMode: Never}
contexts: []
`
    const text = await mergeKubeconfig(mine, incoming, { setCurrent: true, path: 'x' })
    assert.match(text, /^# my clusters\n/)
    const merged = parse(text)
    assert.deepEqual(merged.clusters[0].cluster.extensions, [{ name: 'x', extension: { a: 1 } }])
    assert.equal(merged.clusters[0].cluster['disable-compression'], true)
    assert.deepEqual(merged.users[0].user, { 'token-file': '/secret/token', 'as-groups': ['admins'] })
    assert.equal(merged.users[1].user.exec.command, 'cloud-auth')
    assert.deepEqual(merged.users.map((u: { name: string }) => u.name), ['lab', 'cloud', 'kupe-acme-web'])
    assert.deepEqual(merged.contexts, [{ name: 'kupe-acme-web', context: { cluster: 'kupe-acme-web', user: 'kupe-acme-web' } }])
  })

  test('a response that is not a kubeconfig, or a file that is not YAML, is a usage error', async () => {
    await assert.rejects(mergeKubeconfig(existing, 'clusters:\n- name: x\n  cluster: {}\n', { setCurrent: true, path: 'x' }), /server response is not a kubeconfig/)
    await assert.rejects(mergeKubeconfig('- just\n- a list\n', incoming, { setCurrent: true, path: '/h/.kube/config' }), /\/h\/\.kube\/config is not a kubeconfig/)
  })

  test('the file is --file, else the first KUBECONFIG entry, else ~/.kube/config', () => {
    assert.equal(kubeconfigPathOf('/f', { KUBECONFIG: '/a:/b' }), '/f')
    assert.equal(kubeconfigPathOf(undefined, { KUBECONFIG: ':/a:/b', HOME: '/h' }), '/a')
    assert.equal(kubeconfigPathOf(undefined, { HOME: '/h' }), '/h/.kube/config')
  })
})
