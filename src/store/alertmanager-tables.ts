import type { ColumnType, Selectable } from 'kysely'
import type { AlertmanagerObjectKind } from '../domain/alertmanager/schema.js'

/** One row of `alertmanager_objects`; `name` is '' for the routes and global singletons. */
export interface AlertmanagerObjectTable {
  tenant_id: string
  kind: AlertmanagerObjectKind
  name: string
  /** The body as written, encrypted under the master key (AAD: alertmanagerAad). */
  ciphertext: string
  /** The body with every secret field reading "<secret>". */
  masked: ColumnType<unknown, string, string>
  resource_version: ColumnType<string, string | number | bigint, string | number | bigint>
  created_at: ColumnType<Date, Date | string, Date | string>
  updated_at: ColumnType<Date, Date | string, Date | string>
}

export type AlertmanagerObjectRow = Selectable<AlertmanagerObjectTable>

declare module './db.js' {
  interface DB {
    alertmanager_objects: AlertmanagerObjectTable
  }
}
