import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../../domain/common/names.js'
import { Quota } from '../../domain/projects/schema.js'
import { stringEnum } from '../../domain/common/schema.js'
import type { CrdDefinition } from './crd-manifest.js'
import type { CustomResource } from './custom-resource.js'
import { Conditions, ObservedGeneration } from './status-fields.js'

/**
 * Tenant (cluster-scoped): the anchor of a tenant on a host cluster and its quota envelope —
 * what all its Projects' quotas may add up to. The manager API names the object after the
 * tenant and labels it with the tenant's UUID (`app.kubeop.io/tenant-id`).
 */
export const TenantSpec = Type.Object(
  {
    name: Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63, description: "The tenant's name", 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }] }),
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
    quota: Type.Optional(Quota),
  },
  { additionalProperties: false },
)
export type TenantSpec = Static<typeof TenantSpec>

export const TENANT_CR_PHASES = ['Pending', 'Ready', 'Deleting'] as const

export const TenantStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(TENANT_CR_PHASES)),
    projects: Type.Optional(Type.Integer({ minimum: 0, description: 'Projects that name this tenant' })),
    conditions: Type.Optional(Conditions),
    observedGeneration: Type.Optional(ObservedGeneration),
  },
  { additionalProperties: false },
)
export type TenantStatus = Static<typeof TenantStatus>

export type TenantObject = CustomResource<'Tenant', TenantSpec, TenantStatus>

export const tenantCrd: CrdDefinition = {
  kind: 'Tenant',
  plural: 'tenants',
  singular: 'tenant',
  shortNames: ['ten'],
  scope: 'Cluster',
  spec: TenantSpec,
  status: TenantStatus,
  printerColumns: [
    { name: 'Tenant', type: 'string', jsonPath: '.spec.name' },
    { name: 'Projects', type: 'integer', jsonPath: '.status.projects' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  ],
}
