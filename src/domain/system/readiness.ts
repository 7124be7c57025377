import type { DomainDeps } from '../deps.js'
import { pingDatabase } from '../../store/connect.js'

/** Ready means the database answers (spec §7 item 9); liveness needs nothing. */
export const isReady = (deps: Pick<DomainDeps, 'db'>): Promise<boolean> => pingDatabase(deps.db)
