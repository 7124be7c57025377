import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'

export const Member = Type.Object(
  { email: Type.String(), role: Type.Union([Type.Literal('admin'), Type.Literal('readonly')]) },
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

export const Tenant = Type.Object(
  {
    name: Type.String(),
    displayName: Type.String(),
    contactEmail: Type.String(),
    plan: Type.String(),
    enforceMetricsLimit: Type.Boolean(),
    enforceLogLimit: Type.Boolean(),
    members: Type.Array(Type.Ref('Member')),
    resourceVersion: Type.String(),
    createdAt: Type.String(),
    status: Type.Object({
      phase: Type.Union([Type.Literal('Active'), Type.Literal('Suspended')]),
      clusterCount: Type.Integer(),
      poolResources: Type.Optional(Amounts),
      allocatedResources: Amounts,
      currentUsage: Type.Ref('CurrentUsage'),
    }),
  },
  { $id: 'Tenant' },
)
export type Tenant = Omit<Static<typeof Tenant>, 'members' | 'status'> & {
  members: Member[]
  status: {
    phase: 'Active' | 'Suspended'
    clusterCount: number
    poolResources?: { cpu: string; memory: string; storage: string }
    allocatedResources: { cpu: string; memory: string; storage: string }
    currentUsage: CurrentUsage
  }
}

/** PATCH /tenants/{tenant} (spec §5.1). */
export const TenantPatch = Type.Object(
  {
    plan: Type.Optional(Type.String()),
    enforceMetricsLimit: Type.Optional(Type.Boolean()),
    enforceLogLimit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type TenantPatch = Static<typeof TenantPatch>

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
