import { Type, type Static } from '@sinclair/typebox'

export const PlanPool = Type.Object(
  { cpu: Type.String(), memory: Type.String(), storage: Type.String() },
  { additionalProperties: false },
)

export const Plan = Type.Object(
  {
    name: Type.String(),
    displayName: Type.String(),
    platformFee: Type.String({ description: 'Money, two decimals' }),
    currency: Type.String(),
    maxClusters: Type.Integer(),
    dedicatedClusters: Type.Boolean(),
    resourcePool: Type.Union([PlanPool, Type.Null()], { description: 'CPU cores and GiB; null for no pool' }),
    observabilityPool: Type.Object(
      {
        maxActiveSeries: Type.Integer(),
        logIngestGB: Type.Integer(),
        retentionDays: Type.Integer(),
        maxReceivers: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    rates: Type.Object(
      {
        cpuHour: Type.String(),
        memoryGiBHour: Type.String(),
        storageGiBHour: Type.String(),
        haHour: Type.String(),
        metricsSeriesMonth: Type.String(),
        logGB: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Plan', additionalProperties: false },
)
export type Plan = Static<typeof Plan>
export type PlanRates = Plan['rates']
