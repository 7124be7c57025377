import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KubeRelease } from './binaries.js'
import { SERVICE_CIDR, ENDPOINT_HOST, type ClusterMaterials } from './cluster-pki.js'
import type { ProcessSpec } from './supervisor.js'

/** Everything one tenant API server start needs. */
export interface ApiserverLaunch {
  clusterId: string
  /** `<dataDir>/local/clusters/<id>` (absolute). */
  dir: string
  port: number
  etcdUrl: string
  release: KubeRelease
  materials: ClusterMaterials
  /** kubeconfig naming the Kupe server's token-review endpoint for this cluster. */
  tokenWebhookKubeconfig: string
}

/** Each cluster's objects live under this etcd key prefix (and nothing else does). */
export const etcdPrefixOf = (clusterId: string) => `/kupe/${clusterId}`

const FILES = {
  ca: 'ca.crt',
  servingCert: 'serving.crt',
  servingKey: 'serving.key',
  saKey: 'sa.key',
  saPub: 'sa.pub',
  webhook: 'token-webhook.kubeconfig',
} as const

/**
 * Writes the cluster's files before a start: directory 0700, every file 0600, rewritten each
 * time from the encrypted provider state, so they are never the only copy.
 */
export function writeApiserverFiles(l: ApiserverLaunch): void {
  mkdirSync(join(l.dir, 'certs'), { recursive: true, mode: 0o700 })
  const contents: Record<keyof typeof FILES, string> = {
    ca: l.materials.caPem,
    servingCert: l.materials.servingCertPem,
    servingKey: l.materials.servingKeyPem,
    saKey: l.materials.serviceAccountKeyPem,
    saPub: l.materials.serviceAccountPublicPem,
    webhook: l.tokenWebhookKubeconfig,
  }
  for (const [k, name] of Object.entries(FILES)) writeFileSync(join(l.dir, name), contents[k as keyof typeof FILES], { mode: 0o600 })
}

/** The API server process of a cluster (pure: the same launch gives the same command line). */
export function apiserverSpec(l: Omit<ApiserverLaunch, 'materials' | 'tokenWebhookKubeconfig'>): ProcessSpec {
  const path = (k: keyof typeof FILES) => join(l.dir, FILES[k])
  const [ca, servingCert, servingKey, saKey, saPub, webhook] = [path('ca'), path('servingCert'), path('servingKey'), path('saKey'), path('saPub'), path('webhook')]
  return {
    name: 'kube-apiserver',
    bin: l.release.apiserver,
    dir: l.dir,
    args: [
      `--etcd-servers=${l.etcdUrl}`,
      `--etcd-prefix=${etcdPrefixOf(l.clusterId)}`,
      `--bind-address=${ENDPOINT_HOST}`, `--advertise-address=${ENDPOINT_HOST}`, `--secure-port=${l.port}`,
      `--cert-dir=${join(l.dir, 'certs')}`,
      `--tls-cert-file=${servingCert}`, `--tls-private-key-file=${servingKey}`,
      `--client-ca-file=${ca}`,
      '--authorization-mode=RBAC',
      // Kupe API keys and credentials (spec §2.6): asked of the Kupe server on every request,
      // with no caching, so a revocation takes effect at once.
      `--authentication-token-webhook-config-file=${webhook}`,
      '--authentication-token-webhook-version=v1',
      '--authentication-token-webhook-cache-ttl=0s',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // 127.0.0.1 is not a valid endpoint address, so the `kubernetes` Service gets none.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ],
  }
}
