/**
 * Labels, annotations and the finalizer the operator reads and writes (docs/decisions/0012).
 * The `*-id` labels carry the manager API's UUIDs; on objects applied by hand without them the
 * operator uses the object's own uid instead.
 */
export const LABELS = {
  tenantId: 'app.kubeop.io/tenant-id',
  projectId: 'app.kubeop.io/project-id',
  appId: 'app.kubeop.io/app-id',
  /** Names, as kubeOP labelled namespaces: the Tenant object and the project's name. */
  tenant: 'app.kubeop.io/tenant',
  project: 'app.kubeop.io/project',
  /** The App's name: the Deployment's selector (it never changes across revisions). */
  app: 'app.kubeop.io/app',
  revision: 'app.kubeop.io/revision',
  hookPhase: 'app.kubeop.io/hook-phase',
  hook: 'app.kubeop.io/hook',
  managedBy: 'app.kubernetes.io/managed-by',
  /** Set by the platform operator on the ingress controller's namespace: it may reach every project. */
  ingressController: 'app.kubeop.io/ingress-controller',
  podSecurity: 'pod-security.kubernetes.io/enforce',
} as const

/** `app.kubernetes.io/managed-by` on everything the operator creates; its informers select on it. */
export const MANAGED_BY = 'kupe-operator'
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`

export const ANNOTATIONS = {
  /** The revision (pod template hash) a Deployment runs. */
  revision: 'app.kubeop.io/revision',
} as const

/** Holds a Tenant, Project or App until everything it made is gone. */
export const FINALIZER = 'platform.kubeop.io/cleanup'

/**
 * The one Lease every operator of a host cluster competes for — in `kupe server`, standalone or
 * in-cluster — so two kinds of deployment can never both act. kube-system exists on every cluster.
 */
export const LEASE = { namespace: 'kube-system', name: 'kupe-operator' } as const

/** The field manager of every server-side apply the operator sends. */
export const FIELD_MANAGER = 'kupe-operator'
