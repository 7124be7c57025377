/**
 * Every failure the API reports, with the spec's exact status and message (§3).
 * server/plugins/errors.ts is the only place that turns these into HTTP bodies.
 */
export class KupeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'KupeError'
  }
}

const plain = (status: number, message: string) => () => new KupeError(status, message)
const coded = (status: number, code: string, message: string, field?: string) =>
  new KupeError(status, message, code, field)

export const errors = {
  notFound: plain(404, 'Not found'),
  methodNotAllowed: (allow: string) =>
    new KupeError(405, 'Method not allowed', undefined, undefined, { allow }),
  malformedJson: plain(400, 'Malformed JSON body'),
  notAnObject: plain(400, 'Request body must be a JSON object'),
  bodyTooLarge: plain(413, 'Request body too large'),
  unsupportedMediaType: plain(415, 'Unsupported media type'),
  unauthenticated: () =>
    new KupeError(401, 'Missing or invalid authentication', undefined, undefined, {
      'www-authenticate': 'Bearer realm="kupe"',
    }),
  notMember: plain(403, 'Not a member of this tenant'),
  adminRequired: plain(403, 'Admin access required'),
  tenantSuspended: plain(403, 'Tenant suspended'),
  rateLimited: (retryAfter: number) =>
    new KupeError(429, 'Rate limit exceeded', undefined, undefined, { 'retry-after': String(retryAfter) }),
  authPenalty: (retryAfter: number) =>
    new KupeError(429, 'Too many authentication failures', undefined, undefined, {
      'retry-after': String(retryAfter),
    }),
  invalidTenantName: plain(400, 'Invalid tenant name'),
  invalidName: plain(400, 'Invalid name'),
  invalidEmail: plain(400, 'Invalid email'),
  invalidApiKeyId: plain(400, 'Invalid API key ID format'),
  invalidCredentialId: plain(400, 'Invalid credential ID format'),
  invalidVaultPath: plain(400, 'Invalid vault path'),
  invalidVaultPrefix: plain(400, 'Invalid vault path prefix'),
  invalidInvoiceName: plain(400, 'Invalid invoice name'),
  invalidLimit: plain(400, 'Invalid limit'),
  invalidId: plain(400, 'Invalid id'),
  invalidContinue: plain(400, 'Invalid continue token'),
  /** A repeated key or a NUL character in the query string (docs/decisions/0022-fuzzing-the-api.md). */
  invalidQueryParameter: (name: string) => new KupeError(400, `Invalid query parameter "${name}"`),
  /** Fastify refused the request before any route ran (its own 4xx). */
  invalidRequest: (status: number) => new KupeError(status, status === 415 ? 'Unsupported media type' : 'Invalid request'),
  invalidFormat: plain(400, 'Invalid format'),
  invalidVersion: plain(400, 'Invalid version'),
  invalidIdempotencyKey: plain(400, 'Invalid Idempotency-Key'),
  cannotRemoveYourself: plain(400, 'Cannot remove yourself'),
  etagMismatch: plain(412, 'ETag mismatch'),
  clusterNotFound: plain(404, 'Cluster not found'),
  secretNotFound: plain(404, 'Secret not found'),
  memberNotFound: plain(404, 'Member not found'),
  apiKeyNotFound: plain(404, 'API key not found'),
  credentialNotFound: plain(404, 'Credential not found'),
  vaultEntryNotFound: plain(404, 'Vault entry not found'),
  vaultVersionNotFound: plain(404, 'Vault version not found'),
  invoiceNotFound: plain(404, 'Invoice not found'),
  planNotFound: plain(404, 'Plan not found'),
  tenantNotFound: plain(404, 'Tenant not found'),
  tenantExists: plain(409, 'Tenant name already exists'),
  // Tenant deletion (issue #12 item 4; codes as the Kupe CLI reads them, decision 0029).
  tenantDeleting: () => coded(409, 'ALREADY_TERMINATING', 'Tenant is being deleted'),
  tenantHasClusters: (n: number) => coded(409, 'CLUSTERS_EXIST', `Tenant has ${n} cluster(s); delete them first or pass "cascade": true`),
  deleteConfirmMismatch: () => coded(400, 'CONFIRM_MISMATCH', 'confirm must equal the tenant name', 'confirm'),
  // Platform billing (issue #5, admin routes): not part of the tenant API contract.
  invalidBillingPeriod: plain(400, 'Invalid billing period'),
  billingPeriodOpen: plain(409, 'Billing period has not ended'),
  invoicePhaseConflict: (phase: string) => new KupeError(409, `Invoice is ${phase}`),
  clusterExists: plain(409, 'Cluster name already exists'),
  secretExists: plain(409, 'Secret name already exists'),
  memberExists: plain(409, 'Member already exists'),
  clusterDeleting: plain(409, 'Cluster is being deleted'),
  clusterUpgrading: plain(409, 'Cluster upgrade in progress'),
  clusterMigrating: plain(409, 'High availability migration in progress'),
  clusterNotReady: plain(503, 'Cluster is not yet ready'),
  unavailable: plain(503, 'Service unavailable'),
  /** No database connection in time (overload or outage): nothing happened, try again. */
  databaseBusy: () => new KupeError(503, 'Service unavailable', undefined, undefined, { 'retry-after': '1' }),
  internal: plain(500, 'Internal server error'),

  unknownField: (path: string, field: string) =>
    coded(400, 'UNKNOWN_FIELD', `Unknown field "${path}"`, field),
  requiredField: (path: string, field: string) =>
    coded(400, 'REQUIRED_FIELD', `Missing required field "${path}"`, field),
  atLeastOne: (fields: string[]) =>
    coded(400, 'REQUIRED_FIELD', `At least one of ${fields.join(', ')} is required`),
  invalidField: (path: string, field: string, reason: string) =>
    coded(400, 'INVALID_FIELD', `Invalid value for "${path}": ${reason}`, field),
  immutableField: (path: string, field: string) =>
    coded(400, 'IMMUTABLE_FIELD', `Field "${path}" cannot be changed`, field),
  dedicatedUnsupported: (plan: string) =>
    coded(400, 'CLUSTER_DEDICATED_UNSUPPORTED', `Dedicated clusters are not available on plan "${plan}"`, 'spec.type'),
  versionUnsupported: (v: string, supported: string[]) =>
    coded(
      400,
      'CLUSTER_VERSION_UNSUPPORTED',
      `Kubernetes version "${v}" is not supported (supported: ${supported.join(', ')})`,
      'spec.version',
    ),
  versionDowngrade: (current: string, v: string) =>
    coded(400, 'CLUSTER_VERSION_DOWNGRADE', `Kubernetes version cannot be downgraded from ${current} to ${v}`, 'spec.version'),
  upgradeSkip: (current: string, next: string) =>
    coded(
      400,
      'CLUSTER_UPGRADE_SKIP',
      `Kubernetes upgrades must go one minor version at a time (${current} to ${next})`,
      'spec.version',
    ),
  haDisableUnsupported: () =>
    coded(400, 'HA_DISABLE_UNSUPPORTED', 'High availability cannot be disabled', 'spec.highAvailability'),
  planClusterLimit: (plan: string, n: number) =>
    coded(400, 'PLAN_CLUSTER_LIMIT', `Plan "${plan}" allows at most ${n} clusters`),
  resourcePoolExceeded: (resource: string, requested: string, pool: string) =>
    coded(
      400,
      'RESOURCE_POOL_EXCEEDED',
      `Cluster resources exceed the plan's resource pool (${resource}: ${requested} of ${pool})`,
      'spec.resources',
    ),
  planLimitsExceeded: (plan: string) =>
    coded(400, 'PLAN_LIMITS_EXCEEDED', `Current clusters exceed the limits of plan "${plan}"`, 'plan'),
  lastAdmin: (field?: string) => coded(400, 'LAST_ADMIN', 'Cannot remove or demote the last admin', field),
  syncTargetDuplicate: (i: number, cluster: string, namespace: string, secretName: string) =>
    coded(400, 'SYNC_TARGET_DUPLICATE', `Duplicate sync target ${cluster}/${namespace}/${secretName}`, `spec.sync[${i}]`),
  vaultValueTooLarge: () => coded(400, 'VAULT_VALUE_TOO_LARGE', 'Vault value exceeds 1 MiB', 'data'),
  limitExceeded: (what: string, n: number) => coded(400, 'LIMIT_EXCEEDED', `Limit reached: ${what} (${n})`),
  idempotencyInUse: () =>
    new KupeError(409, 'A request with this Idempotency-Key is in progress', 'IDEMPOTENCY_KEY_IN_USE', undefined, {
      'retry-after': '1',
    }),
  idempotencyReused: () =>
    coded(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was used with a different request'),

  // The kubeOP manager API (seed 004): {"error"} bodies with 400/401/403/404/409.
  forbidden: plain(403, 'Forbidden: this token may not do that'),
  hostClusterNotFound: plain(404, 'Host cluster not found'),
  hostClusterExists: plain(409, 'Host cluster name already exists'),
  hostClusterInUse: (tenants: number) => new KupeError(409, `Host cluster has ${tenants} tenant(s) placed on it`),
  kubeconfigInvalid: (why: string) => new KupeError(400, `Invalid kubeconfig: ${why}`, 'INVALID_FIELD', 'kubeconfig'),
  kubeconfigIsPath: () =>
    new KupeError(400, 'kubeconfig must be the file\'s content, not its path (e.g. jq --rawfile kc "$KUBECONFIG")', 'INVALID_FIELD', 'kubeconfig'),
  hostClusterUnreachable: (why: string) => new KupeError(400, `Cannot reach the cluster: ${why}`, 'CLUSTER_UNREACHABLE', 'kubeconfig'),
  tenantIdNotFound: plain(404, 'Tenant not found'),
  tenantHasProjects: (n: number) => new KupeError(409, `Tenant has ${n} project(s); delete them first`),
  tenantNotPlaced: () => new KupeError(400, 'Tenant has no host cluster (create it with clusterID)', 'INVALID_FIELD', 'tenantID'),
  projectNotFound: plain(404, 'Project not found'),
  projectExists: plain(409, 'Project name already exists in this tenant'),
  projectHasApps: (n: number) => new KupeError(409, `Project has ${n} app(s); delete them first`),
  projectDeleting: plain(409, 'Project is being deleted'),
  quotaOverflow: (resource: string, requested: string, available: string) =>
    new KupeError(400, `Quota exceeds the tenant's envelope: ${resource} ${requested} requested, ${available} available`, 'QUOTA_EXCEEDED', `quota.${resource}`),
  namespaceOfAnotherTenant: (namespace: string) =>
    new KupeError(400, `Namespace "${namespace}" belongs to another tenant`, 'NAMESPACE_MISMATCH', 'namespace'),
  namespaceTaken: (namespace: string, project: string) => new KupeError(409, `Namespace "${namespace}" is already used by project "${project}"`),
  namespaceReserved: (namespace: string) => new KupeError(400, `Namespace "${namespace}" is reserved`, 'INVALID_FIELD', 'namespace'),
  namespaceTooLong: (namespace: string) =>
    new KupeError(400, `Namespace "${namespace}" is longer than 63 characters: choose one with "namespace"`, 'INVALID_FIELD', 'namespace'),
  appNotFound: plain(404, 'App not found'),
  appExists: plain(409, 'App name already exists in this project'),
  appDeleting: plain(409, 'App is being deleted'),
  imageRegistryNotAllowed: (registry: string, field = 'image') =>
    new KupeError(400, `image registry not allowed: ${registry}`, 'IMAGE_REGISTRY_NOT_ALLOWED', field),
  invalidImage: (field = 'image') => new KupeError(400, 'Invalid image reference', 'INVALID_FIELD', field),
}
