import { sql, type RawBuilder } from 'kysely'

/** A text column compared and sorted by byte value whatever the database collation (spec §1.4). */
export const byteOrder = (column: string): RawBuilder<string> => sql<string>`${sql.ref(column)} COLLATE "C"`
