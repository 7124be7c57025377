import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'
import { BytesQuantity, Condition, CpuQuantity, ref, stringEnum } from '../common/schema.js'

/**
 * A quota: what a project may request in its namespace (its ResourceQuota), or a tenant's
 * envelope that the sum of its projects' quotas may not exceed (docs/decisions/0010).
 */
const quotaProperties = {
  cpu: Type.Optional(CpuQuantity),
  memory: Type.Optional(BytesQuantity),
  storage: Type.Optional(BytesQuantity),
  pods: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
}
export const Quota = Type.Object(quotaProperties, { $id: 'Quota', additionalProperties: false })
export type Quota = Static<typeof Quota>
/** The same fields in request bodies, inline (the body validator resolves no references). */
export const QuotaInput = Type.Object(quotaProperties, { additionalProperties: false })
export type QuotaResource = keyof Quota

const Uuid = Type.String({ format: 'uuid' })

/** POST /v1/projects (kubeOP's camelCase request). */
export const ProjectCreate = Type.Object(
  {
    tenantID: Uuid,
    name: Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63 }),
    namespace: Type.Optional(Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63, description: 'Default kubeop-<tenant>-<project>' })),
    quota: Type.Optional(QuotaInput),
  },
  { additionalProperties: false },
)
export type ProjectCreate = Static<typeof ProjectCreate>

export const PROJECT_PHASES = ['Pending', 'Ready', 'Degraded', 'Deleting'] as const

/** Mirrored from the Project object on the host cluster (the operator writes it there). */
export const ProjectStatus = Type.Object(
  {
    phase: stringEnum(PROJECT_PHASES),
    conditions: Type.Array(ref(Condition)),
    observed_generation: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
export type ProjectStatus = Static<typeof ProjectStatus>

export const Project = Type.Object(
  {
    id: Uuid,
    tenant_id: Uuid,
    cluster_id: Uuid,
    name: Type.String(),
    namespace: Type.String(),
    quota: ref(Quota),
    generation: Type.Integer({ minimum: 1 }),
    created_at: Type.String(),
    status: ProjectStatus,
  },
  { $id: 'Project', additionalProperties: false },
)
export type Project = Static<typeof Project>
