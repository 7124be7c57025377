import type { Container, Signal } from '../container.js'

/** What a reconcile asks for next: nothing, or another look after `ms`. */
export type Requeue = { after?: number }
export const done: Requeue = {}
export const after = (ms: number): Requeue => ({ after: ms })

/**
 * A level-triggered reconciler (STYLE.md rule 10): `listKeys` says what may need work,
 * `reconcile` re-reads the key's state and acts. Errors are retried with backoff.
 */
export interface Controller {
  name: string
  /** Wake-ups that make this controller list again. */
  signals: Signal[]
  listKeys(deps: Container): Promise<string[]>
  reconcile(deps: Container, key: string): Promise<Requeue>
}
