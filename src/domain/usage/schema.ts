import { Type, type Static } from '@sinclair/typebox'

const SampleIn = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 63, description: 'Tenant name (or id)' }),
    hour: Type.String({
      format: 'rfc3339',
      description: 'The hour the figures cover, RFC 3339; truncated to the start of its hour. Not in the future.',
    }),
    activeSeries: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'Active series during the hour' })),
    logBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Log bytes ingested during the hour' })),
  },
  { additionalProperties: false },
)

/**
 * POST /v1/usage/ingest: always a batch, `{"samples": [ … ]}` (one sample is a batch of one), so
 * every error names its sample (`samples[3].hour`). Each sample carries `activeSeries`, `logBytes`
 * or both. Idempotent: a sample for a tenant and hour already stored replaces the fields it
 * carries (never adds to them); fields it omits keep their stored value. All or nothing.
 */
export const UsageIngest = Type.Object(
  { samples: Type.Array(SampleIn, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false, description: 'A batch of 1–1000 hourly observability samples' },
)
export type UsageIngest = Static<typeof UsageIngest>

/** A stored hour of a tenant's observability usage, after the sample was applied. */
export const UsageSample = Type.Object(
  {
    tenant: Type.String({ description: 'Tenant name' }),
    hour: Type.String(),
    activeSeries: Type.Optional(Type.Integer()),
    logBytes: Type.Optional(Type.Integer()),
    updatedAt: Type.String(),
  },
  { $id: 'UsageSample', additionalProperties: false },
)
export type UsageSample = Static<typeof UsageSample>
