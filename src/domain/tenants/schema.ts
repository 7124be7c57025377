import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'
import { NON_EMPTY, Role, ref, stringEnum } from '../common/schema.js'
import { Quota, QuotaInput } from '../projects/schema.js'

export const Member = Type.Object(
  { email: Type.String(), role: Role },
  { $id: 'Member', additionalProperties: false },
)
export type Member = Static<typeof Member>

const Amounts = Type.Object({ cpu: Type.String(), memory: Type.String(), storage: Type.String() }, { additionalProperties: false })

export const CurrentUsage = Type.Object(
  {
    periodStart: Type.String(),
    periodEnd: Type.String(),
    updatedAt: Type.String(),
    planChangedInPeriod: Type.Boolean(),
    stale: Type.Boolean(),
    error: Type.Optional(Type.String()),
    currency: Type.String(),
    compute: Type.Object({
      cpuCoreHours: Type.String(), cpuCost: Type.String(), memoryGiBHours: Type.String(), memoryCost: Type.String(),
      storageGiBHours: Type.String(), storageCost: Type.String(), haHours: Type.String(), haCost: Type.String(),
    }),
    observability: Type.Object({
      currentActiveSeries: Type.Integer(), billableActiveSeriesP95: Type.Integer(), metricsOverageCost: Type.String(),
      logIngestBytes: Type.Integer(), logIngestGB: Type.String(), logOverageCost: Type.String(),
    }),
    estimatedSubtotal: Type.String(),
    estimatedCreditsApplied: Type.String(),
    estimatedTax: Type.String(),
    estimatedTotal: Type.String(),
  },
  { $id: 'CurrentUsage' },
)
export type CurrentUsage = Static<typeof CurrentUsage>

/**
 * Suspended tenants may read but not write (spec §2.4). A `Deleting` tenant is being torn down
 * (its clusters first, then its rows): it reads as before and refuses every write with 409
 * (docs/decisions/0029-tenant-deletion.md).
 */
export const TENANT_PHASES = ['Active', 'Suspended', 'Deleting'] as const
export type TenantPhase = (typeof TENANT_PHASES)[number]

export const Tenant = Type.Object(
  {
    name: Type.String(),
    displayName: Type.String(),
    contactEmail: Type.String(),
    plan: Type.String(),
    enforceMetricsLimit: Type.Boolean(),
    enforceLogLimit: Type.Boolean(),
    members: Type.Array(ref(Member)),
    resourceVersion: Type.String(),
    createdAt: Type.String(),
    status: Type.Object({
      phase: stringEnum(TENANT_PHASES),
      clusterCount: Type.Integer(),
      poolResources: Type.Optional(Amounts),
      allocatedResources: Amounts,
      currentUsage: ref(CurrentUsage),
    }),
  },
  { $id: 'Tenant' },
)
export type Tenant = Static<typeof Tenant>

/** PATCH /tenants/{tenant} (spec §5.1). */
export const TenantPatch = Type.Object(
  {
    plan: Type.Optional(Type.String()),
    enforceMetricsLimit: Type.Optional(Type.Boolean()),
    enforceLogLimit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, ...NON_EMPTY },
)
export type TenantPatch = Static<typeof TenantPatch>

/**
 * DELETE /tenants/{tenant}, as the Kupe CLI's `tenant delete --confirm NAME [--cascade]` sends it:
 * the tenant's name typed out, and whether its clusters go with it.
 */
export const TenantDelete = Type.Object(
  {
    confirm: Type.String({ description: "The tenant's name, typed out to confirm" }),
    cascade: Type.Optional(Type.Boolean({ description: 'Delete every cluster with the tenant; without it a tenant with clusters is refused (409 CLUSTERS_EXIST)' })),
  },
  { additionalProperties: false },
)
export type TenantDelete = Static<typeof TenantDelete>

/** POST /api/v1/admin/tenants: the platform operator creates a tenant and its first admin. */
export const TenantCreate = Type.Object(
  {
    name: Type.String({ pattern: DNS_LABEL, minLength: 2, maxLength: 63 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, format: 'display-name' })),
    contactEmail: Type.String({ format: 'kupe-email' }),
    plan: Type.Optional(Type.String()),
    owner: Type.String({ format: 'kupe-email' }),
  },
  { additionalProperties: false },
)
export type TenantCreate = Static<typeof TenantCreate>

/** POST /v1/tenants (seed 004, kubeOP's camelCase request): the same tenant, placed on a host cluster. */
export const KubeopTenantCreate = Type.Object(
  {
    name: Type.String({ pattern: DNS_LABEL, minLength: 2, maxLength: 63 }),
    clusterID: Type.Optional(Type.String({ format: 'uuid', description: 'Host cluster its projects live on' })),
    quota: Type.Optional(QuotaInput),
    plan: Type.Optional(Type.String()),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, format: 'display-name' })),
    contactEmail: Type.Optional(Type.String({ format: 'kupe-email' })),
  },
  { additionalProperties: false },
)
export type KubeopTenantCreate = Static<typeof KubeopTenantCreate>

const QuotaUse = Type.Object(
  { cpu: Type.String({ description: 'Cores' }), memory: Type.String(), storage: Type.String(), pods: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
)

/** A tenant as the manager API shows it (snake_case, as kubeOP). */
export const KubeopTenant = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    display_name: Type.String(),
    plan: Type.String(),
    phase: stringEnum(TENANT_PHASES),
    cluster_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    quota: Type.Union([ref(Quota), Type.Null()], { description: "Its own envelope; null when the plan's pool applies" }),
    envelope: Type.Object(
      { cpu: Type.Optional(Type.String()), memory: Type.Optional(Type.String()), storage: Type.Optional(Type.String()), pods: Type.Optional(Type.Integer()) },
      { additionalProperties: false, description: 'What its projects may hold in total; an absent resource is unlimited' },
    ),
    used: QuotaUse,
    projects: Type.Integer({ minimum: 0 }),
    created_at: Type.String(),
  },
  { $id: 'KubeopTenant', additionalProperties: false },
)
export type KubeopTenant = Static<typeof KubeopTenant>

/** PATCH /v1/tenants/{id}: place the tenant on a host cluster, or change its envelope (`null` = the plan's pool). */
export const KubeopTenantPatch = Type.Object(
  {
    clusterID: Type.Optional(Type.String({ format: 'uuid', description: 'Only while the tenant has no projects' })),
    quota: Type.Optional(Type.Union([QuotaInput, Type.Null()])),
  },
  { additionalProperties: false, ...NON_EMPTY },
)
export type KubeopTenantPatch = Static<typeof KubeopTenantPatch>
