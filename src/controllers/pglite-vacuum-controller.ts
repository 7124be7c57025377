import type { Signal } from '../domain/deps.js'
import { listTablesDueVacuum, vacuumTable } from '../store/table-maintenance.js'
import { done, type Controller, type Requeue } from './controller.js'
import type { ControllerDeps } from './deps.js'

/** What this controller uses of the container (STYLE rule 15). */
type VacuumDeps = Pick<ControllerDeps, 'db' | 'engine' | 'logger'>

/**
 * The embedded database's autovacuum. PGlite is a single backend with no background workers, so
 * nothing removes the dead row versions every update leaves: tables and their indexes grew with
 * every status write (in a test table, an index scan for 5 live rows went past 142,360 dead
 * ones, decision 0039). At each resync the tables past autovacuum's threshold are vacuumed, one per
 * reconcile: the cost follows the rows written, not the rows kept. PostgreSQL runs its own.
 */
export const pgliteVacuumController: Controller<VacuumDeps, Signal> = {
  name: 'pglite-vacuum',
  // Nothing announces dead rows: the periodic resync is the schedule.
  signals: [],
  listKeys: async (deps) => (deps.engine === 'pglite' ? listTablesDueVacuum(deps.db) : []),
  reconcile: vacuum,
}

async function vacuum(deps: VacuumDeps, table: string): Promise<Requeue> {
  const started = performance.now()
  await vacuumTable(deps.db, table)
  deps.logger.info({ controller: pgliteVacuumController.name, table, ms: Math.round(performance.now() - started) }, 'table vacuumed')
  return done
}
