import type { Signal } from '../domain/deps.js'
import type { ControllerDeps } from './deps.js'
import { postSignedEvent } from '../lib/signed-webhook.js'
import { leaseDueEvents, markEventAttemptFailed, markEventDelivered, nextDueAt } from '../store/outbox.js'
import { after, done, type Controller, type Requeue } from './controller.js'

/** What this controller uses of the container (STYLE rule 15). */
type EventDeliveryDeps = Pick<ControllerDeps, 'config' | 'db' | 'clock' | 'logger'>

const BATCH = 50
const LEASE_MS = 60_000
const MAX_ATTEMPTS = 10
const MAX_BACKOFF_MS = 10 * 60_000

/** 1 s, 2 s, 4 s … at most 10 minutes between attempts; ten attempts span about 17 minutes. */
const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts)

/**
 * Delivers the outbox (docs/decisions/0010): every event recorded with a change is POSTed to
 * the hook URL, signed, after that change committed — never inside the request — and retried
 * with backoff until the receiver accepts it or the attempts run out. One key: the outbox.
 */
export const eventDeliveryController: Controller<EventDeliveryDeps, Signal> = {
  name: 'events',
  signals: ['events', 'kubeop', 'host-clusters'],
  listKeys: async (deps) => (deps.config.kubeop.hookUrl ? ['outbox'] : []),
  reconcile: deliverDueEvents,
}

export async function deliverDueEvents(deps: EventDeliveryDeps, _key: string): Promise<Requeue> {
  const url = deps.config.kubeop.hookUrl
  if (!url) return done
  const now = deps.clock.now()
  const events = await leaseDueEvents(deps.db, now, LEASE_MS, BATCH)
  for (const e of events) {
    const body = JSON.stringify({ id: e.id, event: e.type, data: e.payload, ts: e.created_at.toISOString() })
    try {
      await postSignedEvent(url, deps.config.kubeop.hookSecret, { id: e.id, type: e.type, body })
      await markEventDelivered(deps.db, e.id, deps.clock.now())
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      const attempts = e.attempts + 1
      const retryAt = attempts >= MAX_ATTEMPTS ? null : new Date(deps.clock.now().getTime() + backoffMs(attempts))
      await markEventAttemptFailed(deps.db, e.id, reason, retryAt, deps.clock.now())
      deps.logger.warn({ event: e.type, id: e.id, attempts, reason, gaveUp: retryAt === null }, 'event delivery failed')
    }
  }
  if (events.length === BATCH) return after(0)
  const next = await nextDueAt(deps.db)
  return next ? after(Math.max(0, next.getTime() - deps.clock.now().getTime())) : done
}
