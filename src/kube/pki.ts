import { createHash, generateKeyPair, createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { promisify } from 'node:util'
import {
  bitString, boolean, explicit, implicit, objectIdentifier, octetString, sequence, set, time, unsignedInteger, utf8String,
} from './der.js'

/**
 * Certificates for tenant clusters: a per-cluster CA and the certificates it signs (the API
 * server's serving certificate, client certificates). ECDSA P-256, SHA-256, X.509 v3, built with
 * der.ts and signed by node:crypto. Keys leave this module as PKCS#8 PEM; callers store them
 * only encrypted.
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

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const

/** Validity starts a little in the past so that clocks slightly behind still accept it. */
const BACKDATE_MS = 5 * 60 * 1000
const DAY_MS = 24 * 3600 * 1000

const generateEcKeyPair = promisify(generateKeyPair)

const name = (commonName: string, organizations: string[] = []) =>
  sequence(
    ...organizations.map((o) => set(sequence(objectIdentifier(OID.organization), utf8String(o)))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))),
  )

const extension = (oid: string, critical: boolean, value: Buffer) =>
  sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value))

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  // For P-256 the BIT STRING is the last 65 bytes plus its unused-bits octet.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest()
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number))
  const [head = '', tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')))
}

interface Signer {
  subject: Buffer
  key: KeyObject
  keyId: Buffer
}

function buildCertificate(subject: Buffer, publicKey: KeyObject, issuer: Signer, extensions: Buffer[], now: Date, validDays: number): string {
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256))
  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x7f) | 0x01
  const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000)
  const notAfter = new Date(notBefore.getTime() + BACKDATE_MS + validDays * DAY_MS)
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    algorithm,
    issuer.subject,
    sequence(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbs, issuer.key)
  const der = sequence(tbs, algorithm, bitString(signature))
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`
}

async function newKeyPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return generateEcKeyPair('ec', { namedCurve: 'P-256' })
}

const exportKey = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString()

/** A self-signed CA that may sign end-entity certificates only (pathLen 0). */
export async function createCertificateAuthority(commonName: string, now: Date, validDays = 3650): Promise<KeyAndCertificate> {
  const { publicKey, privateKey } = await newKeyPair()
  const subject = name(commonName)
  const keyId = keyIdentifier(publicKey)
  const certPem = buildCertificate(subject, publicKey, { subject, key: privateKey, keyId }, [
    extension(OID.basicConstraints, true, sequence(boolean(true), unsignedInteger(Buffer.from([0])))),
    // digitalSignature (bit 0), keyCertSign (5), cRLSign (6): 1 unused bit
    extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
  ], now, validDays)
  return { certPem, keyPem: exportKey(privateKey) }
}

/** A certificate signed by `ca` for a server (with SANs) or a client. */
export async function issueCertificate(ca: KeyAndCertificate, req: CertificateRequest, now: Date): Promise<KeyAndCertificate> {
  const caCert = new X509Certificate(ca.certPem)
  const caKey = createPrivateKey(ca.keyPem)
  const issuer: Signer = { subject: subjectOf(caCert), key: caKey, keyId: keyIdentifier(caCert.publicKey) }
  const { publicKey, privateKey } = await newKeyPair()
  const sans = [
    ...(req.dnsNames ?? []).map((d) => implicit(2, Buffer.from(d, 'ascii'))),
    ...(req.ipAddresses ?? []).map((ip) => implicit(7, ipBytes(ip))),
  ]
  const extensions = [
    extension(OID.basicConstraints, true, sequence()),
    // digitalSignature (bit 0): 7 unused bits
    extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
    extension(OID.extKeyUsage, false, sequence(objectIdentifier(req.usage === 'server' ? OID.serverAuth : OID.clientAuth))),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(publicKey))),
    extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, issuer.keyId))),
    ...(sans.length > 0 ? [extension(OID.subjectAltName, false, sequence(...sans))] : []),
  ]
  const certPem = buildCertificate(name(req.commonName, req.organizations), publicKey, issuer, extensions, now, req.validDays)
  return { certPem, keyPem: exportKey(privateKey) }
}

/** The CA's subject Name exactly as encoded in its certificate (issuer must match byte for byte). */
function subjectOf(cert: X509Certificate): Buffer {
  const der = cert.raw
  // Certificate → tbsCertificate → [version, serial, signature alg, issuer, validity, subject, …]
  const tbs = children(children(der)[0]!)
  return tbs[5]!
}

/** The encoded children of a constructed DER element. */
function children(element: Buffer): Buffer[] {
  const out: Buffer[] = []
  let { offset } = header(element, 0)
  while (offset < element.length) {
    const h = header(element, offset)
    out.push(element.subarray(offset, h.offset + h.length))
    offset = h.offset + h.length
  }
  return out
}

function header(buf: Buffer, at: number): { offset: number; length: number } {
  const first = buf[at + 1]!
  if (first < 0x80) return { offset: at + 2, length: first }
  const n = first & 0x7f
  let len = 0
  for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!
  return { offset: at + 2 + n, length: len }
}
