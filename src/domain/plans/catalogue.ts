import type { Plan } from './schema.js'

const rates = {
  cpuHour: '0.030',
  memoryGiBHour: '0.006',
  storageGiBHour: '0.000116',
  haHour: '0.05',
  metricsSeriesMonth: '0.003',
  logGB: '0.30',
}

/** The default catalogue of spec §6.9, seeded once; the platform operator may change it. */
export const defaultPlans: Plan[] = [
  {
    name: 'starter', displayName: 'Starter', platformFee: '0.00', currency: 'GBP', maxClusters: 2, dedicatedClusters: false,
    resourcePool: { cpu: '4', memory: '8', storage: '50' },
    observabilityPool: { maxActiveSeries: 10_000, logIngestGB: 10, retentionDays: 14, maxReceivers: 2 }, rates,
  },
  {
    name: 'pro', displayName: 'Pro', platformFee: '49.00', currency: 'GBP', maxClusters: 5, dedicatedClusters: false,
    resourcePool: { cpu: '8', memory: '32', storage: '200' },
    observabilityPool: { maxActiveSeries: 50_000, logIngestGB: 50, retentionDays: 90, maxReceivers: 10 }, rates,
  },
  {
    name: 'business', displayName: 'Business', platformFee: '199.00', currency: 'GBP', maxClusters: 20, dedicatedClusters: true,
    resourcePool: { cpu: '32', memory: '128', storage: '1000' },
    observabilityPool: { maxActiveSeries: 200_000, logIngestGB: 200, retentionDays: 180, maxReceivers: 25 }, rates,
  },
  {
    name: 'enterprise', displayName: 'Enterprise', platformFee: '0.00', currency: 'GBP', maxClusters: 100, dedicatedClusters: true,
    resourcePool: null,
    observabilityPool: { maxActiveSeries: 1_000_000, logIngestGB: 1000, retentionDays: 365, maxReceivers: 100 }, rates,
  },
]
