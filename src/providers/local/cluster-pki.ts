import { createPublicKey, generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'
import type { Keys } from '../../lib/secrets-crypto.js'
import type { ProviderCluster } from '../../domain/clusters/schema.js'
import { issueCertificate, type KeyAndCertificate } from '../../kube/pki.js'
import type { LocalClusterState } from './local-cluster-state.js'

/** The decrypted materials an API server start needs. */
export interface ClusterMaterials {
  caPem: string
  servingCertPem: string
  servingKeyPem: string
  serviceAccountKeyPem: string
  serviceAccountPublicPem: string
  adminCertPem: string
  adminKeyPem: string
}

/** Where the API server listens and the name its certificate must carry. */
export const ENDPOINT_HOST = '127.0.0.1'
/** In-cluster names of the API server, so in-cluster clients verify it too. */
const SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']
export const SERVICE_CIDR = '10.96.0.0/24'
const SERVICE_IP = '10.96.0.1'
const LEAF_DAYS = 825

const aad = (clusterId: string, purpose: string) => `local-cluster:${clusterId}:${purpose}`
const generateEcKeyPair = promisify(generateKeyPair)

/** Serving and client certificates signed by the cluster's CA, and a service-account signing key. */
export async function issueMaterials(keys: Keys, clusterId: string, ca: KeyAndCertificate, state: LocalClusterState, now: Date): Promise<LocalClusterState> {
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver', usage: 'server',
    dnsNames: ['localhost', ...SERVICE_NAMES], ipAddresses: [ENDPOINT_HOST, SERVICE_IP], validDays: LEAF_DAYS,
  }, now)
  const admin = await issueCertificate(ca, { commonName: 'kupe:provider', organizations: ['system:masters'], usage: 'client', validDays: LEAF_DAYS }, now)
  const { privateKey } = await generateEcKeyPair('ec', { namedCurve: 'P-256' })
  const serviceAccountKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return {
    ...state,
    servingCertPem: serving.certPem,
    servingKey: keys.encrypt(serving.keyPem, aad(clusterId, 'serving')),
    serviceAccountKey: keys.encrypt(serviceAccountKey, aad(clusterId, 'service-account')),
    adminCertPem: admin.certPem,
    adminKey: keys.encrypt(admin.keyPem, aad(clusterId, 'admin')),
  }
}

/** The state of a cluster whose certificates and port exist, with the CA certificate they chain to. */
type Issued = ProviderCluster<Required<LocalClusterState>> & { ca: { certPem: string } }

/** Whether the cluster's certificates and port exist (issued on the first provisioning step). */
export function hasMaterials(c: ProviderCluster<LocalClusterState>): c is Issued {
  const s = c.state
  return Boolean(c.ca && s.port && s.servingCertPem && s.servingKey && s.serviceAccountKey && s.adminCertPem && s.adminKey)
}

export function openMaterials(keys: Keys, c: ProviderCluster<LocalClusterState>): ClusterMaterials {
  if (!hasMaterials(c)) throw new Error('the cluster has no certificates yet')
  const s = c.state
  const serviceAccountKeyPem = keys.decrypt(s.serviceAccountKey, aad(c.id, 'service-account'))
  return {
    caPem: c.ca.certPem,
    servingCertPem: s.servingCertPem,
    servingKeyPem: keys.decrypt(s.servingKey, aad(c.id, 'serving')),
    serviceAccountKeyPem,
    serviceAccountPublicPem: createPublicKey(serviceAccountKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
    adminCertPem: s.adminCertPem,
    adminKeyPem: keys.decrypt(s.adminKey, aad(c.id, 'admin')),
  }
}
