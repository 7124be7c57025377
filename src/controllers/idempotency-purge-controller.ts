import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { hasIdempotencyKeyExpiredBy, purgeExpiredIdempotencyKeys } from '../store/idempotency.js'
import { done, type Controller, type Requeue } from './controller.js'

/** What this controller uses of the container (STYLE rule 15). */
type IdempotencyPurgeDeps = Pick<ControllerDeps, 'config' | 'db' | 'clock' | 'logger'>

/** The one key: the purge covers the whole table. */
const EXPIRED = 'expired'

/** Records expired at least this long before `now` make a purge due. */
const dueCutoff = (deps: Pick<ControllerDeps, 'clock' | 'config'>) =>
  new Date(deps.clock.now().getTime() - deps.config.idempotencyPurgeSeconds * 1000)

/**
 * Deletes expired Idempotency-Key records, which otherwise stay for ever. Level-triggered and
 * stateless: a purge is due when some record has been expired for `KUPE_IDEMPOTENCY_PURGE_SECONDS`
 * (asked at every resync, one index probe), and it then deletes everything expired. So a record
 * outlives its expiry by at most that period plus one resync, and purges run at most that often.
 */
export const idempotencyPurgeController: Controller<IdempotencyPurgeDeps, Signal> = {
  name: 'idempotency-purge',
  // Nothing announces an expiry: the periodic resync is the schedule.
  signals: [],
  async listKeys(deps) {
    return (await hasIdempotencyKeyExpiredBy(deps.db, dueCutoff(deps))) ? [EXPIRED] : []
  },
  reconcile: purgeExpired,
}

async function purgeExpired(deps: IdempotencyPurgeDeps): Promise<Requeue> {
  const purged = await purgeExpiredIdempotencyKeys(deps.db, deps.clock.now())
  deps.logger.info({ controller: idempotencyPurgeController.name, purged }, 'expired idempotency records purged')
  return done
}
