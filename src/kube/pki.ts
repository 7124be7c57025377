// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
// present before it loads (decision 0014). This module is the library's only importer.
import 'reflect-metadata'
import {
  AuthorityKeyIdentifierExtension, BasicConstraintsExtension, ExtendedKeyUsage, ExtendedKeyUsageExtension, KeyUsageFlags,
  KeyUsagesExtension, Name, SubjectAlternativeNameExtension, SubjectKeyIdentifierExtension, X509Certificate,
  X509CertificateGenerator, type Extension, type JsonGeneralName,
} from '@peculiar/x509'
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto'

/**
 * Certificates for tenant clusters: a per-cluster CA and the certificates it signs (the API
 * server's serving certificate, client certificates). ECDSA P-256 with SHA-256, X.509 v3, built
 * by @peculiar/x509 on Node's WebCrypto. Keys leave this module as PKCS#8 PEM; callers store
 * them only encrypted.
 */
export interface KeyAndCertificate {
  certPem: string
  keyPem: string
}

export interface CertificateRequest {
  commonName: string
  organizations?: string[]
  /** `server`: serverAuth with the SANs below; `client`: clientAuth. */
  usage: 'server' | 'client'
  dnsNames?: string[]
  ipAddresses?: string[]
  validDays: number
}

/** Validity starts a little in the past so that clocks slightly behind still accept it. */
const BACKDATE_MS = 5 * 60 * 1000
const DAY_MS = 24 * 3600 * 1000

// Passed to every call instead of the library's global provider, so nothing is set at import.
const crypto = webcrypto as unknown as Crypto
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const

async function newKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key))
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString()
}

/** The CA key as WebCrypto wants it; PKCS#8 PEM of any EC key Kupe wrote. */
async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' })
  return crypto.subtle.importKey('pkcs8', der, EC_KEY, false, ['sign'])
}

/** 16 random bytes, first bit clear: a positive serial of at most 20 octets (RFC 5280 §4.1.2.2). */
function serialNumber(): string {
  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x7f) | 0x01
  return serial.toString('hex')
}

function validity(now: Date, validDays: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000)
  return { notBefore, notAfter: new Date(notBefore.getTime() + BACKDATE_MS + validDays * DAY_MS) }
}

/** Organizations first, then the common name: the order kube-apiserver reads groups and user from. */
const subjectName = (commonName: string, organizations: string[] = []) =>
  new Name([...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }])

/** A self-signed CA that may sign end-entity certificates only (pathLen 0). */
export async function createCertificateAuthority(commonName: string, now: Date, validDays = 3650): Promise<KeyAndCertificate> {
  const keys = await newKeyPair()
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subjectName(commonName),
    ...validity(now, validDays),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    ],
  }, crypto)
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) }
}

/** The CA's own subject key id (RFC 5280 §4.2.1.1), or one computed the same way if it has none. */
async function authorityKeyId(caCert: X509Certificate): Promise<AuthorityKeyIdentifierExtension> {
  const ski = caCert.getExtension(SubjectKeyIdentifierExtension)
  return ski ? new AuthorityKeyIdentifierExtension(ski.keyId) : AuthorityKeyIdentifierExtension.create(caCert, false, crypto)
}

/** A certificate signed by `ca` for a server (with SANs) or a client. */
export async function issueCertificate(ca: KeyAndCertificate, req: CertificateRequest, now: Date): Promise<KeyAndCertificate> {
  const caCert = new X509Certificate(ca.certPem)
  const keys = await newKeyPair()
  const sans: JsonGeneralName[] = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ]
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([req.usage === 'server' ? ExtendedKeyUsage.serverAuth : ExtendedKeyUsage.clientAuth]),
    await SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    await authorityKeyId(caCert),
    ...(sans.length > 0 ? [new SubjectAlternativeNameExtension(sans)] : []),
  ]
  const cert = await X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: subjectName(req.commonName, req.organizations),
    // The CA's subject exactly as encoded in its certificate: Go compares issuer names byte for byte.
    issuer: caCert.subjectName,
    ...validity(now, req.validDays),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: SIGNING,
    extensions,
  }, crypto)
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) }
}
