import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

export const credentialView: View<Schemas['Credential']> = {
  id: (c) => c.id,
  columns: [
    ['ID', (c) => c.id],
    ['ROLE', (c) => c.role],
    ['CREATED BY', (c) => c.createdBy],
    ['CREATED', (c) => c.createdAt],
    ['EXPIRES', (c) => c.expiresAt],
  ],
}
