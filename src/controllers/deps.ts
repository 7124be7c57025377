import type { Logger } from 'pino'
import type { DomainDeps } from '../domain/deps.js'

/**
 * Everything a controller may use (it calls domain functions too, hence all of DomainDeps).
 * Each reconciler takes the slice it needs (`Pick<ControllerDeps, 'db' | 'provider'>`, STYLE
 * rule 15), so nothing below `main.ts` depends on the container that provides all of it.
 */
export interface ControllerDeps extends DomainDeps {
  logger: Logger
}
