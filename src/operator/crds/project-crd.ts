import { Type, type Static } from '@sinclair/typebox'
import { AppResources } from '../../domain/apps/schema.js'
import { DNS_LABEL } from '../../domain/common/names.js'
import { stringEnum } from '../../domain/common/schema.js'
import { PROJECT_PHASES, Quota } from '../../domain/projects/schema.js'
import type { CrdDefinition } from './crd-manifest.js'
import type { CustomResource } from './custom-resource.js'
import { Conditions, ObservedGeneration } from './status-fields.js'

const Label = (description: string, immutable: string) =>
  Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength: 63, description, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: `${immutable} is immutable` }] })

/**
 * Project (cluster-scoped): a tenant's namespace with its quota, container defaults and network
 * isolation. Field names are the manager's (`domain/projects`), so its rows map 1:1; the object
 * carries `app.kubeop.io/tenant-id` and `app.kubeop.io/project-id`.
 */
export const ProjectSpec = Type.Object(
  {
    tenantRef: Label('Name of the Tenant object this project belongs to', 'tenantRef'),
    name: Label("The project's name within its tenant", 'name'),
    namespace: Type.Optional(Label('The namespace; default kubeop-<tenantRef>-<name>', 'namespace')),
    quota: Type.Optional(Quota),
    containerDefaults: Type.Optional(AppResources),
  },
  {
    additionalProperties: false,
    'x-kubernetes-validations': [{ rule: 'has(self.namespace) == has(oldSelf.namespace)', message: 'namespace cannot be added or removed' }],
  },
)
export type ProjectSpec = Static<typeof ProjectSpec>

export const ProjectStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(PROJECT_PHASES)),
    namespace: Type.Optional(Type.String()),
    conditions: Type.Optional(Conditions),
    observedGeneration: Type.Optional(ObservedGeneration),
  },
  { additionalProperties: false },
)
export type ProjectStatus = Static<typeof ProjectStatus>

export type ProjectObject = CustomResource<'Project', ProjectSpec, ProjectStatus>

export const projectCrd: CrdDefinition = {
  kind: 'Project',
  plural: 'projects',
  singular: 'project',
  shortNames: ['proj'],
  scope: 'Cluster',
  spec: ProjectSpec,
  status: ProjectStatus,
  printerColumns: [
    { name: 'Tenant', type: 'string', jsonPath: '.spec.tenantRef' },
    { name: 'Namespace', type: 'string', jsonPath: '.status.namespace' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  ],
}
