import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_create_core_tables.js'
import * as m0004 from './0004_create_credits.js'
import * as m0005 from './0005_create_metering_tables.js'
import * as m0006 from './0006_notify_cached_table_changes.js'
import * as m0007 from './0007_create_simulated_secrets.js'
import * as m0008 from './0008_split_cluster_controller_state.js'
import * as m0009 from './0009_notify_more_cached_table_changes.js'
import * as m0010 from './0010_create_kubeop_tables.js'
import * as m0011 from './0011_index_idempotency_expiry.js'
import * as m0012 from './0012_create_alertmanager_objects.js'
import * as m0015 from './0015_index_scale_lookups.js'
import * as m0017 from './0017_create_deleted_tenant_keys.js'
import * as m0018 from './0018_split_api_key_usage.js'
import * as m0019 from './0019_page_unsettled_clusters.js'

/** Listed explicitly (not read from disk) so migrations bundle into the one `kupe` program. */
const migrations: Record<string, Migration> = {
  '0001_create_core_tables': m0001,
  '0004_create_credits': m0004,
  '0005_create_metering_tables': m0005,
  '0006_notify_cached_table_changes': m0006,
  '0007_create_simulated_secrets': m0007,
  '0008_split_cluster_controller_state': m0008,
  '0009_notify_more_cached_table_changes': m0009,
  '0010_create_kubeop_tables': m0010,
  '0011_index_idempotency_expiry': m0011,
  '0012_create_alertmanager_objects': m0012,
  '0015_index_scale_lookups': m0015,
  '0017_create_deleted_tenant_keys': m0017,
  '0018_split_api_key_usage': m0018,
  '0019_page_unsettled_clusters': m0019,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
