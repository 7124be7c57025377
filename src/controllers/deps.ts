import type { Logger } from 'pino'
import type { DomainDeps } from '../domain/deps.js'
import type { HostOperators } from '../operator/host-operators.js'
import type { Database } from '../store/connect.js'

/**
 * Everything a controller may use (it calls domain functions too, hence all of DomainDeps).
 * Each reconciler takes the slice it needs (`Pick<ControllerDeps, 'db' | 'provider'>`, STYLE
 * rule 15), so nothing below `main.ts` depends on the container that provides all of it.
 */
export interface ControllerDeps extends DomainDeps {
  logger: Logger
  /** Which database runs: the embedded one has work PostgreSQL's own processes do (vacuum). */
  engine: Database['engine']
  /** The operators this server runs for its host clusters (issue 11). */
  hostOperators: HostOperators
}
