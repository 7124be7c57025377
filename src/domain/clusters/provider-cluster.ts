import type { KeyAndCertificate } from '../../kube/pki.js'
import type { ClusterResources, ClusterType } from './schema.js'

/**
 * A cluster as a cluster backend sees it (providers/types.ts): what it should run (the spec),
 * what the cluster controller knows (the version running, the endpoint handed out, the CA), and
 * the backend's own state `S` as it last saved it. Built only by `toProviderCluster`
 * (provider-cluster-mapper.ts), which checks that state against the backend's schema; the
 * backend never sees the row, the controller's state or another backend's keys.
 */
export interface ProviderCluster<S = unknown> {
  id: string
  tenantId: string
  name: string
  type: ClusterType
  /** The MAJOR.MINOR the cluster should run (its spec). */
  version: string
  /** The MAJOR.MINOR the control plane runs, once it has run; undefined before the first Running. */
  runningVersion?: string
  highAvailability: boolean
  resources: ClusterResources
  /** The endpoint already handed out (`status.endpoint`): once given out it must not change. */
  endpoint?: string
  /** The cluster CA's certificate, once the controller has created it (always before provisioning). */
  ca?: { certPem: string }
  /** What this backend saved last time; `{}` for a new cluster. */
  state: S
}

/** A cluster being provisioned or upgraded: with its CA's private key, to issue the control plane's certificates. */
export interface ProviderClusterWithCa<S = unknown> extends ProviderCluster<S> {
  ca: KeyAndCertificate
}
