import { Type, type Static } from '@sinclair/typebox'
import { DNS_LABEL } from '../common/names.js'
import { BytesQuantity, Condition, CpuQuantity, NON_EMPTY, ref, stringEnum } from '../common/schema.js'

/**
 * Apps (seed 004 `/v1/apps`): a delivery spec the operator converges into a Deployment, a
 * Service, an Ingress when `host` is set, and hook Jobs around each new revision.
 */
const Label = (maxLength = 63) => Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength })
const Image = Type.String({ minLength: 1, maxLength: 512, description: 'Image reference; its registry must be on the platform allow-list' })
const Command = Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 })

export const AppPort = Type.Object(
  {
    name: Type.Optional(Label(15)),
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    servicePort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Default: containerPort' })),
    protocol: Type.Optional(stringEnum(['TCP', 'UDP'] as const)),
  },
  { additionalProperties: false },
)
export type AppPort = Static<typeof AppPort>

export const EnvVar = Type.Object(
  { name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 256 }), value: Type.String({ maxLength: 32768 }) },
  { additionalProperties: false },
)
export type EnvVar = Static<typeof EnvVar>

const Amounts = Type.Object({ cpu: Type.Optional(CpuQuantity), memory: Type.Optional(BytesQuantity) }, { additionalProperties: false })
export const AppResources = Type.Object({ requests: Type.Optional(Amounts), limits: Type.Optional(Amounts) }, { additionalProperties: false })
export type AppResources = Static<typeof AppResources>

/** A Job run once per revision: `pre` hooks before the rollout, `post` hooks once it is available. */
export const Hook = Type.Object(
  {
    name: Label(40),
    image: Type.Optional(Image),
    command: Type.Optional(Command),
    args: Type.Optional(Command),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Default 600' })),
  },
  { additionalProperties: false },
)
export type Hook = Static<typeof Hook>

export const Hooks = Type.Object(
  { pre: Type.Optional(Type.Array(Hook, { maxItems: 10 })), post: Type.Optional(Type.Array(Hook, { maxItems: 10 })) },
  { additionalProperties: false },
)
export type Hooks = Static<typeof Hooks>

/** What the operator delivers: everything of an app but its identity. */
const specProperties = {
  image: Image,
  replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Default 1' })),
  command: Type.Optional(Command),
  args: Type.Optional(Command),
  ports: Type.Optional(Type.Array(AppPort, { maxItems: 20 })),
  env: Type.Optional(Type.Array(EnvVar, { maxItems: 200 })),
  resources: Type.Optional(AppResources),
  host: Type.Optional(Type.String({ format: 'dns-subdomain', description: 'Ingress host; no Ingress when omitted' })),
  hooks: Type.Optional(Hooks),
}
export const AppSpec = Type.Object(specProperties, { additionalProperties: false })
export type AppSpec = Static<typeof AppSpec>

/** POST /v1/apps (kubeOP's camelCase request). */
export const AppCreate = Type.Object(
  { projectID: Type.String({ format: 'uuid' }), name: Label(), ...specProperties },
  { additionalProperties: false },
)
export type AppCreate = Static<typeof AppCreate>

/** PATCH /v1/apps/{id}: merge; the fields sent replace their current values. */
export const AppPatch = Type.Partial(Type.Object(specProperties), { additionalProperties: false, ...NON_EMPTY })
export type AppPatch = Static<typeof AppPatch>

export const APP_PHASES = ['Pending', 'Progressing', 'Ready', 'Degraded', 'Deleting'] as const
export const HOOK_RESULTS = ['Pending', 'Running', 'Succeeded', 'Failed'] as const

export const HookStatus = Type.Object(
  {
    phase: stringEnum(['pre', 'post'] as const),
    name: Type.String(),
    revision: Type.String(),
    result: stringEnum(HOOK_RESULTS),
    job: Type.String({ description: 'The Job in the project namespace' }),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type HookStatus = Static<typeof HookStatus>

/** Mirrored from the App object on the host cluster (the operator writes it there). */
export const AppStatus = Type.Object(
  {
    phase: stringEnum(APP_PHASES),
    revision: Type.Optional(Type.String({ description: 'Hash of the pod template now rolled out' })),
    available_replicas: Type.Integer({ minimum: 0 }),
    hooks: Type.Array(HookStatus),
    conditions: Type.Array(ref(Condition)),
    observed_generation: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)
export type AppStatus = Static<typeof AppStatus>

export const App = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    project_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    namespace: Type.String(),
    ...specProperties,
    replicas: Type.Integer({ minimum: 0 }),
    generation: Type.Integer({ minimum: 1 }),
    created_at: Type.String(),
    status: AppStatus,
  },
  { $id: 'App', additionalProperties: false },
)
export type App = Static<typeof App>
