import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Files (PEM) of a throw-away control plane PKI, all under one directory. */
export interface KubePki {
  caCert: string
  caKey: string
  servingCert: string
  servingKey: string
  adminCert: string
  adminKey: string
  serviceAccountKey: string
  serviceAccountPub: string
  caPem: string
  adminCertPem: string
  adminKeyPem: string
}

const DAYS = '2' // a test run never lasts longer; nothing outlives it

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args)
}

async function newKey(path: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path])
}

async function signLeaf(dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
  const key = join(dir, `${name}.key`)
  const csr = join(dir, `${name}.csr`)
  const ext = join(dir, `${name}.ext`)
  await newKey(key)
  await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr])
  await writeFile(ext, extensions.join('\n') + '\n')
  await openssl([
    'x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-days', DAYS, '-sha256', '-extfile', ext, '-out', join(dir, `${name}.crt`),
  ])
}

export interface KubePkiOptions {
  /** More IP addresses the serving certificate is valid for (besides 127.0.0.1 and 10.0.0.1). */
  extraIps?: string[]
}

/**
 * A fresh CA; a serving certificate for 127.0.0.1/localhost (and the in-cluster service names, so
 * clients that go through the `kubernetes` Service also verify); an admin client certificate in
 * `system:masters`; and the service-account signing key pair. Uses the openssl CLI (Debian's).
 */
export async function generateKubePki(dir: string, opts: KubePkiOptions = {}): Promise<KubePki> {
  const caKey = join(dir, 'ca.key')
  const caCert = join(dir, 'ca.crt')
  await newKey(caKey)
  await openssl([
    'req', '-x509', '-new', '-key', caKey, '-subj', '/CN=kupe-test-ca', '-days', DAYS, '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out', caCert,
  ])
  await signLeaf(dir, 'serving', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1${(opts.extraIps ?? []).map((ip) => `,IP:${ip}`).join('')}`,
  ])
  await signLeaf(dir, 'admin', '/O=system:masters/CN=kupe-admin', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ])
  const serviceAccountKey = join(dir, 'sa.key')
  const serviceAccountPub = join(dir, 'sa.pub')
  await newKey(serviceAccountKey)
  await openssl(['pkey', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPub])
  return {
    caCert,
    caKey,
    servingCert: join(dir, 'serving.crt'),
    servingKey: join(dir, 'serving.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey,
    serviceAccountPub,
    caPem: await readFile(caCert, 'utf8'),
    adminCertPem: await readFile(join(dir, 'admin.crt'), 'utf8'),
    adminKeyPem: await readFile(join(dir, 'admin.key'), 'utf8'),
  }
}

/**
 * A client certificate signed by the CA of `generateKubePki(dir)`, for a component that must act
 * as its own user (the kubelet as `system:node:<name>` in `system:nodes`, kube-proxy as
 * `system:kube-proxy`). `subject` is an openssl subject such as `/O=system:nodes/CN=system:node:n1`.
 */
export async function issueClientCertificate(dir: string, name: string, subject: string): Promise<{ cert: string; key: string }> {
  await signLeaf(dir, name, subject, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ])
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) }
}
