import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type ApiKey = Schemas['ApiKey']

export const apiKeyView: View<ApiKey> = {
  id: (k) => k.id,
  columns: [
    ['ID', (k) => k.id],
    ['NAME', (k) => k.displayName],
    ['ROLE', (k) => k.role],
    ['CREATED BY', (k) => k.createdBy],
    ['CREATED', (k) => k.createdAt],
    ['EXPIRES', (k) => k.expiresAt ?? 'never'],
    ['LAST USED', (k) => k.lastUsedAt],
  ],
}
