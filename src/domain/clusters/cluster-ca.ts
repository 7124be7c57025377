import type { KeyAndCertificate } from '../../kube/pki.js'
import type { Keys } from '../../lib/secrets-crypto.js'
import type { StoredClusterCa } from './schema.js'

/** The encryption context of a cluster CA's key: a ciphertext moved to another cluster's row does not open. */
const aad = (clusterId: string) => `cluster-ca:${clusterId}`

/** The cluster CA as stored: the private key encrypted with the master key (decision 0004). */
export function sealClusterCa(keys: Keys, clusterId: string, ca: KeyAndCertificate): StoredClusterCa {
  return { certPem: ca.certPem, encryptedKey: keys.encrypt(ca.keyPem, aad(clusterId)) }
}

/** The cluster CA with its private key, for a provider that issues the control plane's certificates. */
export function openClusterCa(keys: Keys, clusterId: string, stored: StoredClusterCa): KeyAndCertificate {
  return { certPem: stored.certPem, keyPem: keys.decrypt(stored.encryptedKey, aad(clusterId)) }
}
