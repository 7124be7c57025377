import type { KubeConfig } from '@kubernetes/client-node'
import type { Keys } from '../../lib/secrets-crypto.js'
import { parseHostKubeconfig } from '../../kube/host-cluster-access.js'
import type { HostClusterRow } from '../../store/db.js'

/** The master-key AAD of a host cluster's kubeconfig: bound to its id, so rows cannot swap them. */
export const kubeconfigAad = (hostClusterId: string) => `host-cluster:${hostClusterId}`

/** A client configuration for a registered host cluster (decrypted in memory only). */
export function hostKubeConfig(keys: Keys, row: Pick<HostClusterRow, 'id' | 'kubeconfig_enc'>): KubeConfig {
  return parseHostKubeconfig(keys.decrypt(row.kubeconfig_enc, kubeconfigAad(row.id)))
}
