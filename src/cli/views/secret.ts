import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'
import { formatTarget } from '../framework/sync-targets.js'

type Secret = Schemas['Secret']

export const secretView: View<Secret> = {
  id: (s) => s.name,
  columns: [
    ['NAME', (s) => s.name],
    ['VAULT PATH', (s) => s.secretPath],
    ['PHASE', (s) => s.status.phase],
    ['TARGETS', (s) => (s.sync ?? []).map(formatTarget).join(',')],
    ['CREATED', (s) => s.createdAt],
  ],
  details: (s) => [
    ['Name', s.name],
    ['Vault path', s.secretPath],
    ['Phase', s.status.phase],
    ['Ready', s.status.conditions.find((c) => c.type === 'Ready')?.message],
    ['Resource version', s.resourceVersion],
    ['Created', s.createdAt],
    ...s.status.syncStatuses.map((t, i): [string, string] => [
      i === 0 ? 'Targets' : '',
      `${t.cluster}/${t.namespace}/${t.secretName}  ${t.phase}${t.sourceVersion !== undefined ? ` v${t.sourceVersion}` : ''}${t.message ? `  ${t.message}` : ''}`,
    ]),
  ],
}
