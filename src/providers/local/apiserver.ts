import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildKubeconfig } from '../../kube/kubeconfig.js'
import type { KubeRelease } from './binaries.js'
import { ENDPOINT_HOST, SERVICE_CIDR, type ClusterMaterials } from './cluster-pki.js'
import type { ProcessSpec } from './supervisor.js'

/** Everything one start of a tenant control plane needs. */
export interface ControlPlaneLaunch {
  clusterId: string
  /** `<dataDir>/local/clusters/<id>` (absolute). */
  dir: string
  port: number
  etcdUrl: string
  release: KubeRelease
}

export interface ControlPlaneFiles {
  materials: ClusterMaterials
  /** kubeconfig naming the Kupe server's token-review endpoint for this cluster. */
  tokenWebhookKubeconfig: string
}

/** Each cluster's objects live under this etcd key prefix (and nothing else does). */
export const etcdPrefixOf = (clusterId: string) => `/kupe/${clusterId}`

/**
 * The controllers a tenant cluster without nodes needs to behave like Kubernetes: aggregated
 * roles (`view`, `edit`, `admin`), namespace deletion, garbage collection, service accounts and
 * their CA bundle, quotas. Workload controllers are left out: there is no node to run on.
 */
const CONTROLLERS = [
  'clusterrole-aggregation-controller', 'namespace-controller', 'garbage-collector-controller',
  'serviceaccount-controller', 'serviceaccount-token-controller', 'root-ca-certificate-publisher-controller',
  'resourcequota-controller',
]

const FILES = {
  ca: 'ca.crt',
  servingCert: 'serving.crt',
  servingKey: 'serving.key',
  saKey: 'sa.key',
  saPub: 'sa.pub',
  webhook: 'token-webhook.kubeconfig',
  controllerManager: 'controller-manager.kubeconfig',
} as const
type FileKey = keyof typeof FILES

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** kube-controller-manager reaches its API server with Kupe's client certificate. */
function controllerManagerKubeconfig(server: string, m: ClusterMaterials): string {
  return buildKubeconfig({
    cluster: { name: 'local', server, caData: b64(m.caPem) },
    user: { name: 'kupe', certData: b64(m.adminCertPem), keyData: b64(m.adminKeyPem) },
    context: 'local',
  })
}

/**
 * Writes the cluster's files before a start: directory 0700, every file 0600, rewritten each
 * time from the encrypted provider state, so they are never the only copy.
 */
export function writeControlPlaneFiles(l: ControlPlaneLaunch, f: ControlPlaneFiles): void {
  mkdirSync(join(l.dir, 'certs'), { recursive: true, mode: 0o700 })
  const contents: Record<FileKey, string> = {
    ca: f.materials.caPem,
    servingCert: f.materials.servingCertPem,
    servingKey: f.materials.servingKeyPem,
    saKey: f.materials.serviceAccountKeyPem,
    saPub: f.materials.serviceAccountPublicPem,
    webhook: f.tokenWebhookKubeconfig,
    controllerManager: controllerManagerKubeconfig(`https://${ENDPOINT_HOST}:${l.port}`, f.materials),
  }
  for (const [k, name] of Object.entries(FILES)) writeFileSync(join(l.dir, name), contents[k as FileKey], { mode: 0o600 })
}

/**
 * The API server process of a cluster (pure: the same launch gives the same command line).
 * `replica` names the extra replicas of a cluster with high availability: the same files, CA,
 * keys and etcd prefix, on their own port (decision 0020).
 */
export function apiserverSpec(l: ControlPlaneLaunch, replica?: { index: number; port: number }): ProcessSpec {
  const path = (k: FileKey) => join(l.dir, FILES[k])
  const port = replica?.port ?? l.port
  return {
    name: replica ? `kube-apiserver-${replica.index}` : 'kube-apiserver',
    bin: l.release.apiserver,
    dir: l.dir,
    args: [
      `--etcd-servers=${l.etcdUrl}`,
      `--etcd-prefix=${etcdPrefixOf(l.clusterId)}`,
      `--bind-address=${ENDPOINT_HOST}`, `--advertise-address=${ENDPOINT_HOST}`, `--secure-port=${port}`,
      `--cert-dir=${join(l.dir, 'certs')}`,
      `--tls-cert-file=${path('servingCert')}`, `--tls-private-key-file=${path('servingKey')}`,
      `--client-ca-file=${path('ca')}`,
      '--authorization-mode=RBAC',
      // Kupe API keys and credentials (spec §2.6): asked of the Kupe server on every request,
      // with no caching, so a revocation takes effect at once.
      `--authentication-token-webhook-config-file=${path('webhook')}`,
      '--authentication-token-webhook-version=v1',
      '--authentication-token-webhook-cache-ttl=0s',
      ...(l.release.tokenCacheConfigurable ? ['--authentication-token-success-cache-ttl=0s'] : []),
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path('saPub')}`,
      `--service-account-signing-key-file=${path('saKey')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // 127.0.0.1 is not a valid endpoint address, so the `kubernetes` Service gets none.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ],
  }
}

/** The cluster's kube-controller-manager: no serving port, no leader election (one per cluster). */
export function controllerManagerSpec(l: Pick<ControlPlaneLaunch, 'dir' | 'release'>): ProcessSpec {
  const path = (k: FileKey) => join(l.dir, FILES[k])
  return {
    name: 'kube-controller-manager',
    bin: l.release.controllerManager,
    dir: l.dir,
    args: [
      `--kubeconfig=${path('controllerManager')}`,
      '--secure-port=0',
      '--leader-elect=false',
      `--controllers=${CONTROLLERS.join(',')}`,
      `--service-account-private-key-file=${path('saKey')}`,
      `--root-ca-file=${path('ca')}`,
      '--profiling=false',
    ],
  }
}
