import { sql } from 'kysely'
import type { Executor } from './db.js'

export interface SampleWrite {
  tenantId: string
  hour: Date
  /** Undefined leaves the stored value as it is (metrics and logs may come from different senders). */
  activeSeries?: number
  logBytes?: number
  at: Date
}

/**
 * One row per tenant and hour: a repeated sample replaces the fields it carries, never adds to
 * them, so a sender may retry or re-send an hour freely.
 */
export const upsertSample = (db: Executor, s: SampleWrite) =>
  db
    .insertInto('observability_samples')
    .values({
      tenant_id: s.tenantId, hour: s.hour, active_series: s.activeSeries ?? null, log_bytes: s.logBytes ?? null, updated_at: s.at,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'hour']).doUpdateSet({
        active_series: s.activeSeries === undefined ? sql`observability_samples.active_series` : sql`excluded.active_series`,
        log_bytes: s.logBytes === undefined ? sql`observability_samples.log_bytes` : sql`excluded.log_bytes`,
        updated_at: sql`excluded.updated_at`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()

/** Samples with hour in [from, to), oldest first. */
export const listSamples = (db: Executor, tenantId: string, from: Date, to: Date) =>
  db
    .selectFrom('observability_samples')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .orderBy('hour')
    .execute()
