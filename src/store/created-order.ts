import { sql, type RawBuilder } from 'kysely'

/** Rows after a (created_at, id) position, for lists ordered by createdAt then id (spec §1.4). */
export const afterCreated = (after: { createdAt: Date; id: string }): RawBuilder<boolean> =>
  sql<boolean>`(created_at, id COLLATE "C") > (${after.createdAt}, ${after.id} COLLATE "C")`
