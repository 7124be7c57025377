import type { DomainDeps } from '../deps.js'
import { parseRfc3339, toRfc3339 } from '../../lib/time.js'
import type { Executor, TenantRow } from '../../store/db.js'
import { upsertSample } from '../../store/observability-samples.js'
import { findTenantById, findTenantByName } from '../../store/tenants.js'
import { errors } from '../errors.js'
import type { UsageIngest, UsageSample } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock'>

const HOUR_MS = 3_600_000

async function findTenant(db: Executor, ref: string): Promise<TenantRow | undefined> {
  return (await findTenantByName(db, ref)) ?? (await findTenantById(db, ref))
}

/**
 * POST /v1/usage/ingest (issue #5): hourly observability usage for billing. Every sample is
 * checked before anything is written, then all are written in one transaction.
 */
export async function ingestUsage(deps: Deps, body: UsageIngest): Promise<{ items: UsageSample[] }> {
  const now = deps.clock.now()
  const checked = body.samples.map((s, i) => {
    const at = `samples[${i}]`
    if (s.activeSeries === undefined && s.logBytes === undefined) {
      throw errors.invalidField(at, at, 'must carry activeSeries or logBytes')
    }
    const parsed = parseRfc3339(s.hour)!
    const hour = new Date(Math.floor(parsed.getTime() / HOUR_MS) * HOUR_MS)
    if (hour > now) throw errors.invalidField(`${at}.hour`, `${at}.hour`, 'must not be in the future')
    return { ...s, hour, at }
  })
  const tenants = new Map<string, TenantRow>()
  for (const s of checked) {
    if (tenants.has(s.tenant)) continue
    const tenant = await findTenant(deps.db, s.tenant)
    if (!tenant) throw errors.invalidField(`${s.at}.tenant`, `${s.at}.tenant`, `unknown tenant "${s.tenant}"`)
    tenants.set(s.tenant, tenant)
  }
  const rows = await deps.db.transaction().execute(async (trx) => {
    const out = []
    for (const s of checked) {
      const tenant = tenants.get(s.tenant)!
      const row = await upsertSample(trx, { tenantId: tenant.id, hour: s.hour, activeSeries: s.activeSeries, logBytes: s.logBytes, at: now })
      out.push({ tenant: tenant.name, row })
    }
    return out
  })
  return {
    items: rows.map(({ tenant, row }) => ({
      tenant,
      hour: toRfc3339(row.hour),
      ...(row.active_series !== null ? { activeSeries: Number(row.active_series) } : {}),
      ...(row.log_bytes !== null ? { logBytes: Number(row.log_bytes) } : {}),
      updatedAt: toRfc3339(row.updated_at),
    })),
  }
}
