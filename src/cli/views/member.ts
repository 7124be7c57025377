import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

export const memberView: View<Schemas['Member']> = {
  id: (m) => m.email,
  columns: [
    ['EMAIL', (m) => m.email],
    ['ROLE', (m) => m.role],
  ],
}
