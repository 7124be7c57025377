import type { PlanRow, TenantRow } from '../../store/db.js'
import { coresToMillicores, formatCores, formatGiB, gibToBytes, parseQuantity, toBytes, toMillicores } from '../common/quantity.js'
import { errors } from '../errors.js'
import type { Quota, QuotaResource } from './schema.js'

/**
 * Project quotas and tenant envelopes (docs/decisions/0010). Every project has all four
 * amounts (what it does not ask for takes these defaults, as kubeOP's fixed ResourceQuota did),
 * so an envelope always has something to add up.
 */
export const DEFAULT_PROJECT_QUOTA: Required<Quota> = { cpu: '1', memory: '1Gi', storage: '10Gi', pods: 10 }

export const projectQuotaOf = (requested: Quota | undefined): Required<Quota> => ({ ...DEFAULT_PROJECT_QUOTA, ...requested })

/** A quota in base units (millicores, bytes, pods); a missing resource has no limit. */
export type QuotaAmounts = Partial<Record<QuotaResource, bigint>>

const q = (v: string) => parseQuantity(v)!

export function amountsOf(quota: Quota): QuotaAmounts {
  return {
    ...(quota.cpu !== undefined ? { cpu: toMillicores(q(quota.cpu)) } : {}),
    ...(quota.memory !== undefined ? { memory: toBytes(q(quota.memory)) } : {}),
    ...(quota.storage !== undefined ? { storage: toBytes(q(quota.storage)) } : {}),
    ...(quota.pods !== undefined ? { pods: BigInt(quota.pods) } : {}),
  }
}

/** The tenant's envelope: its own quota when set, else its plan's resource pool (no pod limit). */
export function envelopeOf(tenant: Pick<TenantRow, 'quota'>, plan: Pick<PlanRow, 'resource_pool'> | undefined): QuotaAmounts {
  if (tenant.quota) return amountsOf(tenant.quota)
  const pool = plan?.resource_pool
  if (!pool) return {}
  return { cpu: coresToMillicores(pool.cpu), memory: gibToBytes(pool.memory), storage: gibToBytes(pool.storage) }
}

export function sumAmounts(all: QuotaAmounts[]): Required<QuotaAmounts> {
  const total = { cpu: 0n, memory: 0n, storage: 0n, pods: 0n }
  for (const a of all) for (const k of Object.keys(total) as QuotaResource[]) total[k] += a[k] ?? 0n
  return total
}

/** Amounts as a person reads them: cores, Gi, pods. */
export function formatAmount(resource: QuotaResource, v: bigint): string {
  if (resource === 'cpu') return formatCores(v)
  if (resource === 'pods') return v.toString()
  return `${formatGiB(v)}Gi`
}

/** 400 QUOTA_EXCEEDED when `requested` on top of what the tenant's projects hold overflows the envelope. */
export function checkEnvelope(envelope: QuotaAmounts, used: Required<QuotaAmounts>, requested: QuotaAmounts): void {
  for (const resource of ['cpu', 'memory', 'storage', 'pods'] as const) {
    const limit = envelope[resource]
    const want = requested[resource] ?? 0n
    if (limit === undefined) continue
    const free = limit > used[resource] ? limit - used[resource] : 0n
    if (want > free) throw errors.quotaOverflow(resource, formatAmount(resource, want), formatAmount(resource, free))
  }
}
