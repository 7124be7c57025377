import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createServer, get } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createCertificateAuthority, issueCertificate } from './pki.js'

const now = new Date('2026-04-06T12:00:00Z')

test('a cluster CA is a self-signed CA certificate whose key matches', async () => {
  const ca = await createCertificateAuthority('kupe-acme-production', now)
  const cert = new X509Certificate(ca.certPem)
  assert.equal(cert.ca, true)
  assert.equal(cert.subject, 'CN=kupe-acme-production')
  assert.equal(cert.issuer, cert.subject)
  assert.equal(cert.verify(cert.publicKey), true)
  assert.equal(cert.checkPrivateKey(createPrivateKey(ca.keyPem)), true)
  assert.ok(new Date(cert.validFrom) <= now && new Date(cert.validTo) > new Date('2035-01-01T00:00:00Z'))
})

test('a serving certificate is signed by the CA and names its hosts and addresses', async () => {
  const ca = await createCertificateAuthority('kupe-ca', now)
  const leaf = await issueCertificate(ca, {
    commonName: 'kube-apiserver', usage: 'server', dnsNames: ['prod.acme.clusters.example.com', 'localhost'],
    ipAddresses: ['127.0.0.1', '::1'], validDays: 365,
  }, now)
  const caCert = new X509Certificate(ca.certPem)
  const cert = new X509Certificate(leaf.certPem)
  assert.equal(cert.ca, false)
  assert.equal(cert.verify(caCert.publicKey), true)
  assert.equal(cert.checkIssued(caCert), true)
  assert.equal(cert.checkHost('prod.acme.clusters.example.com'), 'prod.acme.clusters.example.com')
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1')
  assert.equal(cert.checkIP('::1'), '::1')
  assert.equal(cert.checkHost('other.example.com'), undefined)
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1'])
  assert.equal(cert.checkPrivateKey(createPrivateKey(leaf.keyPem)), true)
  assert.notEqual(createPublicKey(leaf.keyPem).export({ type: 'spki', format: 'pem' }), caCert.publicKey.export({ type: 'spki', format: 'pem' }))
})

test('openssl accepts the chain for TLS server and client use', async () => {
  const ca = await createCertificateAuthority('kupe-ca', new Date())
  const leaf = await issueCertificate(ca, { commonName: 'apiserver', usage: 'server', dnsNames: ['localhost'], validDays: 30 }, new Date())
  const client = await issueCertificate(ca, { commonName: 'kupe:admin', organizations: ['system:masters'], usage: 'client', validDays: 30 }, new Date())
  const dir = mkdtempSync(join(tmpdir(), 'kupe-pki-'))
  try {
    writeFileSync(join(dir, 'ca.pem'), ca.certPem)
    writeFileSync(join(dir, 'leaf.pem'), leaf.certPem)
    writeFileSync(join(dir, 'client.pem'), client.certPem)
    const verify = (file: string, purpose: string) =>
      execFileSync('openssl', ['verify', '-purpose', purpose, '-CAfile', join(dir, 'ca.pem'), join(dir, file)], { encoding: 'utf8' })
    assert.match(verify('leaf.pem', 'sslserver'), /OK/)
    assert.match(verify('client.pem', 'sslclient'), /OK/)
    assert.match(new X509Certificate(client.certPem).subject, /O=system:masters/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('an HTTPS server with the serving certificate is trusted by a client that trusts only the CA', async () => {
  const ca = await createCertificateAuthority('kupe-ca', new Date())
  const leaf = await issueCertificate(ca, { commonName: 'apiserver', usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validDays: 30 }, new Date())
  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const fetchWith = (caPem: string) =>
    new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/', ca: caPem }, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve(body))
      }).on('error', reject)
    })
  try {
    assert.equal(await fetchWith(ca.certPem), 'ok')
    const other = await createCertificateAuthority('other-ca', new Date())
    await assert.rejects(fetchWith(other.certPem), /self[- ]signed|unable to verify|certificate/i)
  } finally {
    server.close()
  }
})
