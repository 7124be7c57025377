import { Type, type Static } from '@sinclair/typebox'

/**
 * The manager API's reports (/v1/…, seed 004): snake_case as kubeOP spells them; resource amounts
 * use the units of spec §1.5 (CPU cores, memory and storage GiB, unit-less decimal strings).
 */
const Amounts = Type.Object(
  { cpu: Type.String({ description: 'Cores' }), memory: Type.String({ description: 'GiB' }), storage: Type.String({ description: 'GiB' }) },
  { additionalProperties: false },
)
const Count = Type.Integer({ minimum: 0 })
const ByPhase = Type.Record(Type.String(), Count, { description: 'Count by status.phase' })

const TenantUsage = Type.Object(
  {
    tenant_id: Type.String(),
    tenant_name: Type.String(),
    plan: Type.String(),
    phase: Type.String(),
    clusters: Count,
    projects: Count,
    apps: Count,
    namespaces: Count,
    quotas: Type.Union([Amounts, Type.Null()], { description: "The tenant's envelope (its own quota, else its plan's pool); null when unlimited" }),
    allocated: Amounts,
  },
  { additionalProperties: false },
)

export const UsageSnapshot = Type.Object(
  {
    generated_at: Type.String(),
    totals: Type.Object(
      {
        tenants: Count,
        clusters: Count,
        projects: Count,
        apps: Count,
        namespaces: Type.Integer({ minimum: 0, description: "Projects' namespaces plus distinct (cluster, namespace) pairs holding a synced secret" }),
        quotas: Amounts,
        unlimited_tenants: Type.Integer({ minimum: 0, description: 'Tenants whose plan has no pool (not in quotas)' }),
        allocated: Amounts,
      },
      { additionalProperties: false },
    ),
    tenants: Type.Array(TenantUsage, { description: 'By tenant name' }),
  },
  { $id: 'KubeopUsageSnapshot', additionalProperties: false },
)
export type UsageSnapshot = Static<typeof UsageSnapshot>
export type TenantUsage = Static<typeof TenantUsage>

export const KubeopInvoice = Type.Object(
  {
    tenant_id: Type.String(),
    tenant_name: Type.String(),
    period: Type.String({ description: 'YYYY-MM, the open period' }),
    period_start: Type.String(),
    period_end: Type.String(),
    status: Type.Literal('Draft'),
    lines: Type.Array(
      Type.Object(
        {
          kind: Type.String(), description: Type.String(), quantity: Type.String(), unit: Type.String(),
          unit_price: Type.String(), cost: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    subtotal: Type.String(),
    credits_applied: Type.String(),
    tax: Type.String(),
    total: Type.String(),
    currency: Type.String(),
  },
  { $id: 'KubeopInvoice', additionalProperties: false },
)
export type KubeopInvoice = Static<typeof KubeopInvoice>

const StatusClasses = Type.Object(
  { '1xx': Count, '2xx': Count, '3xx': Count, '4xx': Count, '5xx': Count },
  { additionalProperties: false },
)

export const AnalyticsSummary = Type.Object(
  {
    generated_at: Type.String(),
    tenants: Type.Object({ total: Count, active: Count, suspended: Count }, { additionalProperties: false }),
    clusters: Type.Object({ total: Count, by_phase: ByPhase }, { additionalProperties: false }),
    secrets: Type.Object(
      { total: Count, synced: Count, failed: Count, by_phase: ByPhase },
      { additionalProperties: false },
    ),
    projects: Type.Object({ total: Count, by_phase: ByPhase }, { additionalProperties: false }),
    apps: Type.Object(
      {
        total: Count,
        by_phase: ByPhase,
        by_registry: Type.Record(Type.String(), Count, { description: 'Apps by the registry host of their image' }),
        available_replicas: Count,
      },
      { additionalProperties: false },
    ),
    deliveries: Type.Object(
      {
        rolled_out: Type.Integer({ minimum: 0, description: 'Apps whose current generation is rolled out (Ready)' }),
        hooks: Type.Object(
          { succeeded: Count, failed: Count, running: Count, pending: Count },
          { additionalProperties: false, description: 'Hook Jobs of the current revisions, by outcome' },
        ),
      },
      { additionalProperties: false },
    ),
    events: Type.Object({ delivered: Count, pending: Count, failed: Count }, { additionalProperties: false, description: 'Outbound events' }),
    api_requests: Type.Object(
      {
        window_hours: Type.Literal(24),
        since: Type.String({ description: 'Start of the oldest hour counted' }),
        total: Count,
        by_status_class: StatusClasses,
      },
      { additionalProperties: false, description: 'Requests to /api/… and /v1/… answered by this server replica' },
    ),
  },
  { $id: 'KubeopAnalyticsSummary', additionalProperties: false },
)
export type AnalyticsSummary = Static<typeof AnalyticsSummary>
export type StatusClassCounts = Static<typeof StatusClasses>
