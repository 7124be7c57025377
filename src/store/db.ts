import type { ColumnType, Generated, GeneratedAlways, Kysely, Selectable, Transaction } from 'kysely'
import type { ClusterControllerState, ClusterResources, ClusterStatus, ClusterType } from '../domain/clusters/schema.js'
import type { Role } from '../domain/common/schema.js'
import type { InvoicePhase, LineItem } from '../domain/invoices/schema.js'
import type { Plan } from '../domain/plans/schema.js'
import type { StoredSecretStatus, SyncTarget } from '../domain/secrets/schema.js'
import type { TenantPhase } from '../domain/tenants/schema.js'
import type { AppSpec, AppStatus } from '../domain/apps/schema.js'
import type { EventPayload, EventType } from '../domain/events/schema.js'
import type { HostClusterHealth } from '../domain/hostclusters/schema.js'
import type { ProjectStatus, Quota } from '../domain/projects/schema.js'

/**
 * Table types, written once; row types are derived. int8 columns come back as strings on both
 * engines (resourceVersion is a string in the API anyway); timestamps as Date.
 */
type Json<T> = ColumnType<T, string, string>
type Timestamp = ColumnType<Date, Date | string, Date | string>
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>

export interface TenantTable {
  id: string
  name: string
  display_name: string
  contact_email: string
  plan: string
  enforce_metrics_limit: boolean
  enforce_log_limit: boolean
  phase: TenantPhase
  resource_version: Int8
  created_at: Timestamp
  /** The host cluster its projects live on (kubeOP placement), if any (migration 0010). */
  host_cluster_id: ColumnType<string | null, string | null | undefined, string | null>
  /** Its quota envelope, overriding the plan's pool (migration 0010). */
  quota: ColumnType<Quota | null, string | null | undefined, string | null>
}

export interface TenantPlanTable {
  tenant_id: string
  plan: string
  effective_at: Timestamp
}

export interface MemberTable {
  tenant_id: string
  email: string
  role: Role
  created_at: Timestamp
}

export interface ApiKeyTable {
  id: string
  tenant_id: string
  display_name: string
  role: Role
  created_by: string
  created_at: Timestamp
  expires_at: Timestamp | null
  revoked_at: Timestamp | null
  key_hmac: string
}

/** When a key was last used (spec §1.4), apart from the key so that stamping it leaves the key's cached row (migration 0018). */
export interface ApiKeyUsageTable {
  key_id: string
  tenant_id: string
  last_used_at: Timestamp
}

export interface ClusterTable {
  id: string
  tenant_id: string
  name: string
  display_name: string
  type: ClusterType
  version: string
  high_availability: boolean
  resources: Json<ClusterResources>
  alerts: Json<Record<string, unknown>> | null
  generation: number
  resource_version: Int8
  created_at: Timestamp
  deletion_requested_at: Timestamp | null
  status: Json<ClusterStatus>
  /** The cluster controller's own state (migration 0008). */
  controller_state: Json<ClusterControllerState>
  /** The provider's own state: a JSON object of the shape the provider declares (providers/types.ts). */
  provider_state: Json<Record<string, unknown>>
  /** Computed by the database (migration 0015): Running at its generation and version, no deletion asked for. */
  settled: GeneratedAlways<boolean>
}

export interface ClusterAllocationTable {
  id: Generated<number>
  tenant_id: string
  cluster_id: string
  cluster_name: string
  cpu_millis: Int8
  memory_bytes: Int8
  storage_bytes: Int8
  high_availability: boolean
  start_at: Timestamp
  end_at: Timestamp | null
}

export interface CredentialTable {
  id: string
  tenant_id: string
  cluster_id: string
  role: Role
  created_by: string
  created_at: Timestamp
  expires_at: Timestamp
  revoked_at: Timestamp | null
  token_hmac: string
  creator_key_id: string | null
  creator_email: string | null
}

export interface SecretTable {
  id: string
  tenant_id: string
  name: string
  secret_path: string
  sync: Json<SyncTarget[]> | null
  generation: number
  resource_version: Int8
  created_at: Timestamp
  status: Json<StoredSecretStatus>
}

export interface VaultEntryTable {
  tenant_id: string
  path: string
  version: number
  updated_at: Timestamp
}

export interface VaultVersionTable {
  tenant_id: string
  path: string
  version: number
  ciphertext: string
  created_at: Timestamp
}

export interface InvoiceTable {
  tenant_id: string
  name: string
  period_start: Timestamp
  period_end: Timestamp
  created_at: Timestamp
  resource_version: Int8
  phase: InvoicePhase
  currency: string
  subtotal: string
  credits_applied: string
  tax: string
  total: string
  due_date: Timestamp | null
  line_items: Json<LineItem[]>
}

export interface PlanTable {
  name: string
  position: number
  display_name: string
  platform_fee: string
  currency: string
  max_clusters: number
  dedicated_clusters: boolean
  resource_pool: Json<NonNullable<Plan['resourcePool']>> | null
  observability_pool: Json<Plan['observabilityPool']>
  rates: Json<Plan['rates']>
}

export interface IdempotencyTable {
  scope: string
  key: string
  request_hash: string
  state: string
  status_code: number | null
  response: string | null
  created_at: Timestamp
  expires_at: Timestamp
}

export interface DB {
  tenants: TenantTable
  tenant_plans: TenantPlanTable
  members: MemberTable
  api_keys: ApiKeyTable
  clusters: ClusterTable
  cluster_allocations: ClusterAllocationTable
  cluster_credentials: CredentialTable
  secrets: SecretTable
  vault_entries: VaultEntryTable
  vault_versions: VaultVersionTable
  invoices: InvoiceTable
  plans: PlanTable
  idempotency_records: IdempotencyTable
}

export type Db = Kysely<DB>
/** A repository takes either the pool or a transaction. */
export type Executor = Kysely<DB> | Transaction<DB>

export type TenantRow = Selectable<TenantTable>
export type MemberRow = Selectable<MemberTable>
export type ApiKeyRow = Selectable<ApiKeyTable>
export type ClusterRow = Selectable<ClusterTable>
export type CredentialRow = Selectable<CredentialTable>
export type SecretRow = Selectable<SecretTable>
export type InvoiceRow = Selectable<InvoiceTable>
export type PlanRow = Selectable<PlanTable>

/** Credits granted by the platform operator (migration 0004); merged into DB below. */
export interface CreditTable {
  id: string
  tenant_id: string
  /** Money, two decimals, as granted. */
  amount: string
  /** What is left after closed invoices applied it. */
  remaining: string
  reason: string
  expires_at: Timestamp | null
  created_at: Timestamp
}
export type CreditRow = Selectable<CreditTable>

// Declaration merging keeps this append-only: the credits table joins the DB interface above.
export interface DB {
  credits: CreditTable
}

/** Observability usage, one row per tenant and hour (migration 0005); a repeated sample replaces. */
export interface ObservabilitySampleTable {
  tenant_id: string
  hour: Timestamp
  active_series: Int8 | null
  log_bytes: Int8 | null
  updated_at: Timestamp
}

/** What each closed invoice drew from which credit (migration 0005), so a void can give it back. */
export interface CreditApplicationTable {
  id: Generated<number>
  credit_id: string
  tenant_id: string
  invoice_name: string
  amount: string
  applied_at: Timestamp
}

export interface DB {
  observability_samples: ObservabilitySampleTable
  credit_applications: CreditApplicationTable
}

/** Secrets held by simulated clusters (migration 0007): owner and version only, never a value. */
export interface SimulatedSecretTable {
  cluster_id: string
  namespace: string
  name: string
  managed_secret: string
  source_version: number
  written_at: Timestamp
}

export interface DB {
  simulated_secrets: SimulatedSecretTable
}

/** The kubeOP half (migration 0010): host clusters, projects, apps and the outbox of events. */
export interface HostClusterTable {
  id: string
  name: string
  server: string
  /** The kubeconfig, encrypted with the master key (AAD: `host-cluster:<id>`). */
  kubeconfig_enc: string
  /** `in-process`: `kupe server` runs the operator for it; `external`: `kupe operator` runs elsewhere. */
  operator: 'in-process' | 'external'
  health: Json<HostClusterHealth>
  resource_version: Int8
  created_at: Timestamp
}

export interface ProjectTable {
  id: string
  tenant_id: string
  host_cluster_id: string
  name: string
  namespace: string
  quota: Json<Required<Quota>>
  generation: number
  resource_version: Int8
  created_at: Timestamp
  deletion_requested_at: Timestamp | null
  status: Json<ProjectStatus>
}

export interface AppTable {
  id: string
  project_id: string
  name: string
  spec: Json<AppSpec>
  generation: number
  resource_version: Int8
  created_at: Timestamp
  deletion_requested_at: Timestamp | null
  status: Json<AppStatus>
}

export interface OutboxEventTable {
  id: Generated<string>
  type: EventType
  payload: Json<EventPayload>
  created_at: Timestamp
  attempts: Generated<number>
  next_attempt_at: Timestamp
  delivered_at: Timestamp | null
  /** Set when delivery gave up after the last retry. */
  failed_at: Timestamp | null
  last_error: string | null
}

export interface DB {
  host_clusters: HostClusterTable
  projects: ProjectTable
  apps: AppTable
  outbox_events: OutboxEventTable
}

export type HostClusterRow = Selectable<HostClusterTable>
export type ProjectRow = Selectable<ProjectTable>
export type AppRow = Selectable<AppTable>

/** The keys of a removed tenant, kept a day so they can learn it is gone (migration 0017). */
export interface DeletedTenantKeyTable {
  key_id: string
  tenant_name: string
  key_hmac: string
  deleted_at: Timestamp
}

export interface DB {
  deleted_tenant_keys: DeletedTenantKeyTable
  api_key_usage: ApiKeyUsageTable
}
