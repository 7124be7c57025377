import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type Plan = Schemas['Plan']

const pool = (p: Plan) => (p.resourcePool ? `${p.resourcePool.cpu} CPU / ${p.resourcePool.memory} GiB / ${p.resourcePool.storage} GiB` : 'unlimited')

export const planView: View<Plan> = {
  id: (p) => p.name,
  columns: [
    ['NAME', (p) => p.name],
    ['DISPLAY NAME', (p) => p.displayName],
    ['FEE', (p) => `${p.platformFee} ${p.currency}`],
    ['MAX CLUSTERS', (p) => p.maxClusters],
    ['DEDICATED', (p) => (p.dedicatedClusters ? 'yes' : 'no')],
    ['POOL', pool],
  ],
  details: (p) => [
    ['Name', p.name],
    ['Display name', p.displayName],
    ['Platform fee', `${p.platformFee} ${p.currency} / month`],
    ['Max clusters', p.maxClusters],
    ['Dedicated clusters', p.dedicatedClusters ? 'yes' : 'no'],
    ['Resource pool', pool(p)],
    ['Metrics series', p.observabilityPool.maxActiveSeries],
    ['Log ingest', `${p.observabilityPool.logIngestGB} GB`],
    ['Retention', `${p.observabilityPool.retentionDays} days`],
    ['CPU rate', `${p.rates.cpuHour} / vCPU-hour`],
    ['Memory rate', `${p.rates.memoryGiBHour} / GiB-hour`],
    ['Storage rate', `${p.rates.storageGiBHour} / GiB-hour`],
    ['HA rate', `${p.rates.haHour} / hour`],
  ],
}
