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

/**
 * A cluster CA as Kupe wrote them before it used @peculiar/x509 (a home-made DER encoder, names as
 * UTF8String), kept in clusters' provider state. Test-only key: it signs nothing outside this file.
 */
const LEGACY_CA = {
  certPem: `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIQYZkH2q9G7svp0UePX5IzdzAKBggqhkjOPQQDAjAeMRww
GgYDVQQDDBNrdXBlLWNsdXN0ZXItbGVnYWN5MB4XDTI1MTIzMTIzNTUwMFoXDTM1
MTIzMDAwMDAwMFowHjEcMBoGA1UEAwwTa3VwZS1jbHVzdGVyLWxlZ2FjeTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABFDPuzDpm0j1+kpQ8p5exUFgv64dkeNGCh0K
DE0IwBOERDZX8Jhv+g3e42SPUbEpeyttkuHDJq+G1VCuZY+rT6mjRTBDMBIGA1Ud
EwEB/wQIMAYBAf8CAQAwDgYDVR0PAQH/BAQDAgGGMB0GA1UdDgQWBBTyZoelX/53
dzCWRNO9d5EeY+4uHTAKBggqhkjOPQQDAgNIADBFAiEAqLL44SRjwRYukB0hLz3R
mFlguuE6jFSOui9UWn86C6MCICPSZoGyNCb/uNAAWiThjYrwry4/rTf/HGfIs5vI
/htp
-----END CERTIFICATE-----
`,
  keyPem: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/Wadj+8swIq6gfp6
BcdamIm/ZUd87uYMifZPBoehyg+hRANCAARQz7sw6ZtI9fpKUPKeXsVBYL+uHZHj
RgodCgxNCMAThEQ2V/CYb/oN3uNkj1GxKXsrbZLhwyavhtVQrmWPq0+p
-----END PRIVATE KEY-----
`,
}
/** That CA's subject Name, DER: CN=kupe-cluster-legacy as a UTF8String (tag 0x0c). */
const LEGACY_SUBJECT = Buffer.from('301e311c301a06035504030c136b7570652d636c75737465722d6c6567616379', 'hex')

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

test('a CA written by the earlier encoder still signs, and leaves name it byte for byte (as Go compares)', async () => {
  const leaf = await issueCertificate(LEGACY_CA, { commonName: 'kube-apiserver', usage: 'server', dnsNames: ['localhost'], validDays: 30 }, new Date())
  const caCert = new X509Certificate(LEGACY_CA.certPem)
  const cert = new X509Certificate(leaf.certPem)
  assert.equal(cert.checkIssued(caCert), true)
  assert.equal(cert.verify(caCert.publicKey), true)
  assert.ok(caCert.raw.includes(LEGACY_SUBJECT), 'fixture: the CA subject is the UTF8String encoding')
  assert.ok(cert.raw.includes(LEGACY_SUBJECT), 'the issuer is the CA subject exactly as encoded, not re-encoded')
})

test('each certificate has its own random positive serial and key', async () => {
  const ca = await createCertificateAuthority('kupe-ca', now)
  const req = { commonName: 'kupe:provider', organizations: ['system:masters'], usage: 'client' as const, validDays: 1 }
  const [a, b] = [await issueCertificate(ca, req, now), await issueCertificate(ca, req, now)]
  const [ca1, ca2] = [new X509Certificate(a.certPem), new X509Certificate(b.certPem)]
  assert.notEqual(ca1.serialNumber, ca2.serialNumber)
  assert.match(ca1.serialNumber, /^[0-7][0-9A-F]{31}$/)
  assert.notEqual(a.keyPem, b.keyPem)
  assert.equal(ca1.subject, 'O=system:masters\nCN=kupe:provider')
  assert.deepEqual(ca1.keyUsage, ['1.3.6.1.5.5.7.3.2'])
  assert.equal(createPrivateKey(a.keyPem).asymmetricKeyType, 'ec')
})
