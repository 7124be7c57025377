import { Type, type Static } from '@sinclair/typebox'
import { APP_PHASES, AppSpec, HookStatus } from '../../domain/apps/schema.js'
import { stringEnum } from '../../domain/common/schema.js'
import type { CrdDefinition } from './crd-manifest.js'
import type { CustomResource } from './custom-resource.js'
import { Conditions, ObservedGeneration } from './status-fields.js'

/**
 * App (namespaced, in its project's namespace): the manager's delivery spec (`domain/apps`
 * AppSpec) as it is — image, replicas, command/args, ports, env, resources, host, hooks — so a
 * row maps 1:1; the object carries `app.kubeop.io/app-id` (and the project and tenant ids).
 */
export const AppStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(APP_PHASES)),
    revision: Type.Optional(Type.String({ description: 'Hash of the pod template the Deployment runs' })),
    desiredRevision: Type.Optional(Type.String({ description: 'Hash of the pod template the spec asks for' })),
    availableReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    hooks: Type.Optional(Type.Array(HookStatus, { maxItems: 20 })),
    conditions: Type.Optional(Conditions),
    observedGeneration: Type.Optional(ObservedGeneration),
  },
  { additionalProperties: false },
)
export type AppStatus = Static<typeof AppStatus>

export type AppObject = CustomResource<'App', AppSpec, AppStatus>

export const appCrd: CrdDefinition = {
  kind: 'App',
  plural: 'apps',
  singular: 'app',
  shortNames: ['kapp'],
  scope: 'Namespaced',
  spec: AppSpec,
  status: AppStatus,
  printerColumns: [
    { name: 'Image', type: 'string', jsonPath: '.spec.image' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    { name: 'Revision', type: 'string', jsonPath: '.status.revision' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  ],
}
