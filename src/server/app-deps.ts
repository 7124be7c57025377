import type { Registry } from 'prom-client'
import type { DomainDeps } from '../domain/deps.js'

/** What the HTTP layer needs: the domain's dependencies, plus what only the server reports. */
export interface AppDeps extends DomainDeps {
  /** `pglite` or `postgres`, for /version. */
  engine: string
  metrics: Registry
}
