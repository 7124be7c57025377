import type { Executor } from '../../store/db.js'
import { insertOutboxEvent } from '../../store/outbox.js'
import type { DomainDeps } from '../deps.js'
import type { EventPayload, EventType } from './schema.js'

/**
 * Records an outbound event in the transaction of the change it announces, so that it is sent
 * exactly when the change committed (never from inside the request). Without a hook URL there
 * is nobody to tell, and nothing is kept.
 */
export async function recordEvent(
  deps: Pick<DomainDeps, 'config' | 'clock'>,
  trx: Executor,
  type: EventType,
  payload: EventPayload,
): Promise<void> {
  if (!deps.config.kubeop.hookUrl) return
  await insertOutboxEvent(trx, type, payload, deps.clock.now())
}
