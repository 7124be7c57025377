import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { OperatorCaches } from './watches.js'
import type { ObjectClient } from './object-client.js'

/** What the operator's reconcilers use (STYLE rule 15): one host cluster's client and caches. */
export interface OperatorDeps {
  client: ObjectClient
  /** Informer caches: what `listKeys` lists. Reconcilers re-read live objects instead. */
  caches: OperatorCaches
  clock: Clock
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>
}
