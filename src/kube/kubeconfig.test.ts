import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildKubeconfig, readKubeconfig } from './kubeconfig.js'

const name = 'kupe-acme-production'
const token = 'kupec_5e0a9b12_P0xZZnOAjZqntMHO2-j1Ag8cKTZDUF1qd4SRnqu4xdI30baL2'

/** What kubectl itself makes of a kubeconfig (client-go's loader), as JSON. */
function kubectlView(yaml: string): { clusters: unknown[]; users: unknown[]; contexts: unknown[]; 'current-context': string } {
  const dir = mkdtempSync(join(tmpdir(), 'kupe-kubeconfig-'))
  try {
    writeFileSync(join(dir, 'config'), yaml, { mode: 0o600 })
    const out = execFileSync('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', join(dir, 'config')], { encoding: 'utf8' })
    return JSON.parse(out)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('a token kubeconfig is exactly the spec §6.3 document', () => {
  const yaml = buildKubeconfig({
    cluster: { name, server: 'https://production.acme.clusters.example.com', caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ...' },
    user: { name, token },
    context: name,
  })
  assert.equal(yaml, `apiVersion: v1
kind: Config
clusters:
- name: kupe-acme-production
  cluster:
    server: https://production.acme.clusters.example.com
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ...
users:
- name: kupe-acme-production
  user:
    token: ${token}
contexts:
- name: kupe-acme-production
  context:
    cluster: kupe-acme-production
    user: kupe-acme-production
current-context: kupe-acme-production
`)
})

test('kubectl reads the client-certificate and the credential-less variants as written', () => {
  const withCert = kubectlView(buildKubeconfig({
    cluster: { name: 'local', server: 'https://127.0.0.1:6443', caData: 'Q0E=' },
    user: { name: 'kupe', certData: 'Q0VSVA==', keyData: 'S0VZ' },
    context: 'local',
  }))
  assert.deepEqual(withCert.clusters, [{ name: 'local', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }])
  assert.deepEqual(withCert.users, [{ name: 'kupe', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }])
  assert.deepEqual(withCert.contexts, [{ name: 'local', context: { cluster: 'local', user: 'kupe' } }])
  assert.equal(withCert['current-context'], 'local')

  const webhook = kubectlView(buildKubeconfig({
    cluster: { name: 'kupe', server: 'http://127.0.0.1:8080/internal/v1/clusters/c/tokenreview/s' },
    user: { name: 'kube-apiserver' },
    context: 'webhook',
  }))
  assert.deepEqual(webhook.users, [{ name: 'kube-apiserver', user: {} }])
  assert.deepEqual(webhook.clusters, [{ name: 'kupe', cluster: { server: 'http://127.0.0.1:8080/internal/v1/clusters/c/tokenreview/s' } }])
})

test('what Kupe writes, the client library reads back to the same cluster, user and context', () => {
  const kc = readKubeconfig(buildKubeconfig({ cluster: { name, server: 'https://h:6443', caData: 'Q0E=' }, user: { name, token }, context: name }))
  assert.equal(kc.getCurrentContext(), name)
  assert.equal(kc.getCurrentCluster()?.server, 'https://h:6443')
  assert.equal(kc.getCurrentCluster()?.caData, 'Q0E=')
  assert.equal(kc.getCurrentUser()?.token, token)
})

test('a document that is not a kubeconfig is refused', () => {
  assert.throws(() => readKubeconfig('clusters:\n- name: x\n  cluster: {}\n'), /server is missing/)
})
