import { readHostClusterDescriptor, startHostCluster, type HostClusterDescriptor } from './host-cluster.js'

/**
 * The env var through which scripts/test.mjs hands every test file the one host cluster it
 * started for the run: the path of its admin kubeconfig (YAML). `host-cluster.json` beside it
 * describes the rest (see `HostClusterDescriptor`).
 */
export const HOST_KUBECONFIG_ENV = 'KUPE_TEST_HOST_KUBECONFIG'

/** A host cluster shared with other tests: use it, never stop it. */
export type SharedHostCluster = HostClusterDescriptor & { kubeconfigYaml: string }

let shared: Promise<SharedHostCluster> | undefined

/**
 * The host cluster for this test run (real kubelet, pods that run; see host-cluster.ts). The one
 * scripts/test.mjs started when KUPE_TEST_HOST_KUBECONFIG is set; otherwise (a file run directly
 * with `node --test`) one started on first use and torn down when this process exits. Tests share
 * it, so each works in namespaces of its own and deletes them when done.
 */
export function hostCluster(): Promise<SharedHostCluster> {
  shared ??= (async () => {
    const kubeconfigPath = process.env[HOST_KUBECONFIG_ENV]
    if (kubeconfigPath) return readHostClusterDescriptor(kubeconfigPath)
    const { stop: _stop, ...cluster } = await startHostCluster({ unref: true })
    return cluster
  })()
  return shared
}
