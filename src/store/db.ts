import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely'

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
  phase: string
  resource_version: Int8
  created_at: Timestamp
}

export interface TenantPlanTable {
  tenant_id: string
  plan: string
  effective_at: Timestamp
}

export interface MemberTable {
  tenant_id: string
  email: string
  role: string
  created_at: Timestamp
}

export interface ApiKeyTable {
  id: string
  tenant_id: string
  display_name: string
  role: string
  created_by: string
  created_at: Timestamp
  expires_at: Timestamp | null
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
  key_hmac: string
}

export interface ClusterResources {
  cpu?: string
  memory?: string
  storage?: string
}

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime: string
}

export interface ClusterStatus {
  phase: string
  kubernetesVersion?: string
  endpoint?: string
  observedGeneration: number
  conditions: Condition[]
  simulated?: boolean
}

export interface ClusterTable {
  id: string
  tenant_id: string
  name: string
  display_name: string
  type: string
  version: string
  high_availability: boolean
  resources: Json<ClusterResources>
  alerts: Json<Record<string, unknown>> | null
  generation: number
  resource_version: Int8
  created_at: Timestamp
  deletion_requested_at: Timestamp | null
  status: Json<ClusterStatus>
  provider_state: Json<Record<string, unknown>>
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
  role: string
  created_by: string
  created_at: Timestamp
  expires_at: Timestamp
  revoked_at: Timestamp | null
  token_hmac: string
  creator_key_id: string | null
  creator_email: string | null
}

export interface SyncTarget {
  cluster: string
  namespace: string
  secretName?: string
}

export interface SyncStatus {
  cluster: string
  namespace: string
  secretName: string
  phase: 'Pending' | 'Synced' | 'Failed'
  message: string
  lastSyncTime?: string
  sourceVersion?: number
}

export interface SecretStatus {
  phase: string
  conditions: Condition[]
  syncStatuses: SyncStatus[]
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
  status: Json<SecretStatus>
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

export interface LineItem {
  kind: string
  description: string
  quantity: string
  unit: string
  unitPrice: string
  cost: string
}

export interface InvoiceTable {
  tenant_id: string
  name: string
  period_start: Timestamp
  period_end: Timestamp
  created_at: Timestamp
  resource_version: Int8
  phase: string
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
  resource_pool: Json<{ cpu: string; memory: string; storage: string }> | null
  observability_pool: Json<{ maxActiveSeries: number; logIngestGB: number; retentionDays: number; maxReceivers: number }>
  rates: Json<Record<string, string>>
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
