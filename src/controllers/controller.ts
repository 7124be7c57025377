/**
 * The contract between a reconciler and the runner (src/controllers/runner.ts) that drives it:
 * what a reconcile is given, what it may return, and what it may throw. The database
 * controllers and the Kubernetes operator (src/operator/) both implement it.
 */

/** What a reconcile asks for next: nothing, or another look after `ms`. */
export type Requeue = { after?: number }
export const done: Requeue = {}
export const after = (ms: number): Requeue => ({ after: ms })

/** Handed to every reconcile: `signal` aborts when the runner stops, so waits and calls end. */
export interface ReconcileContext {
  signal: AbortSignal
}

/**
 * A key as `listKeys` returns it, optionally with the generation of the object it names: a key
 * that failed terminally is retried only once its generation moves (or an event names it).
 */
export type ListedKey = string | { key: string; generation?: number }

/**
 * A failure that retrying cannot fix (an invalid spec, a conflict only a person can resolve).
 * The runner does not retry the key; the controller's `onTerminal` records why in its status
 * (STYLE rule 12), and a new event or generation for the key runs it again.
 */
export class TerminalError extends Error {
  constructor(
    message: string,
    /** Machine-readable reason for the status condition (CamelCase, e.g. `NamespaceConflict`). */
    readonly reason = 'InvalidSpec',
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'TerminalError'
  }
}

/**
 * A level-triggered reconciler (STYLE rule 10): `listKeys` says what may need work, `reconcile`
 * re-reads the key's state and acts. Errors are retried with backoff, `TerminalError`s are not.
 * `D` is the slice of dependencies it uses (STYLE rule 15), never more.
 */
export interface Controller<D, S extends string = string> {
  name: string
  /** Wake-ups that make this controller list again (none: only the resync and `enqueue`). */
  signals?: readonly S[]
  /**
   * Those of `signals` whose emitters name the key that changed, in this controller's key space
   * (`signal('clusters', clusterId)`): such a wake-up queues that key alone, so a write costs
   * one reconcile rather than a listing and a look at every key. One without a key still lists.
   */
  keyedSignals?: readonly S[]
  listKeys(deps: D): Promise<readonly ListedKey[]>
  reconcile(deps: D, key: string, ctx: ReconcileContext): Promise<Requeue>
  /** Records a terminal failure in the key's status; the runner calls it once per such failure. */
  onTerminal?(deps: D, key: string, error: TerminalError): Promise<void>
}
