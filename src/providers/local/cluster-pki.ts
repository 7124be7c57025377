import { createPublicKey, generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'
import type { Keys } from '../../lib/secrets-crypto.js'
import { issueCertificate } from '../../kube/pki.js'
import type { ProviderState } from '../types.js'

/**
 * What the local provider keeps in a cluster's provider_state. The CA is the cluster
 * controller's (created before provisioning); private keys are stored only encrypted with the
 * master key, bound to the cluster id and their purpose (AAD), and written to 0600 files when the
 * API server starts.
 */
export interface LocalClusterState extends ProviderState {
  caPem?: string
  caKey?: string
  runningVersion?: string
  /** The API server's port on 127.0.0.1, chosen once so that the endpoint never changes. */
  port?: number
  servingCertPem?: string
  servingKey?: string
  serviceAccountKey?: string
  /** Kupe's own client certificate (`O=system:masters`) for RBAC objects and Secrets. */
  adminCertPem?: string
  adminKey?: string
}

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
export async function issueMaterials(keys: Keys, clusterId: string, state: LocalClusterState, now: Date): Promise<LocalClusterState> {
  if (!state.caPem || !state.caKey) throw new Error('the cluster CA is not there yet')
  const ca = { certPem: state.caPem, keyPem: keys.decrypt(state.caKey, `cluster-ca:${clusterId}`) }
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

export const hasMaterials = (s: LocalClusterState) =>
  Boolean(s.caPem && s.port && s.servingCertPem && s.servingKey && s.serviceAccountKey && s.adminCertPem && s.adminKey)

export function openMaterials(keys: Keys, clusterId: string, s: LocalClusterState): ClusterMaterials {
  if (!hasMaterials(s)) throw new Error('the cluster has no certificates yet')
  const serviceAccountKeyPem = keys.decrypt(s.serviceAccountKey!, aad(clusterId, 'service-account'))
  return {
    caPem: s.caPem!,
    servingCertPem: s.servingCertPem!,
    servingKeyPem: keys.decrypt(s.servingKey!, aad(clusterId, 'serving')),
    serviceAccountKeyPem,
    serviceAccountPublicPem: createPublicKey(serviceAccountKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
    adminCertPem: s.adminCertPem!,
    adminKeyPem: keys.decrypt(s.adminKey!, aad(clusterId, 'admin')),
  }
}
