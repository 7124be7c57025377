import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

export const vaultEntryView: View<Schemas['VaultEntry']> = {
  id: (e) => e.path,
  columns: [
    ['PATH', (e) => e.path],
    ['VERSION', (e) => e.version],
    ['UPDATED', (e) => e.updatedAt],
  ],
}
