import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node'
import type { Logger } from 'pino'
import type { CancelTimer, Clock } from '../../lib/clock.js'
import { statusOf } from '../object-client.js'

export interface ElectorTiming {
  /** How long a lease nobody renews stays with its holder (client-go's LeaseDuration). */
  leaseDurationMs: number
  /** A leader that could not renew for this long steps down, before anyone may take over (RenewDeadline). */
  renewDeadlineMs: number
  /** How often the leader renews, and candidates look (RetryPeriod). */
  retryMs: number
}

/** client-go's defaults for controllers: 15 s lease, 10 s renew deadline, 2 s retry. */
export const DEFAULT_TIMING: ElectorTiming = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryMs: 2_000 }

export interface ElectorOptions {
  coordination: CoordinationV1Api
  namespace: string
  name: string
  /** Unique per candidate (host name and pid, or the pod's name). */
  identity: string
  clock: Clock
  logger: Pick<Logger, 'info' | 'warn'>
  timing?: ElectorTiming
}

export interface LeaderCallbacks {
  onStartedLeading(): Promise<void>
  onStoppedLeading(): Promise<void>
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it
 * (@kubernetes/client-node has none; docs/decisions/0012): the holder renews `renewTime` every
 * retry period; a candidate takes the lease over only when the record has not changed for a whole
 * lease duration *as it observed it* (its own clock, so clock skew between machines does not
 * matter), and every write carries the resourceVersion it read, so two candidates can never both
 * win. A leader that cannot renew within the renew deadline steps down first; `stop()` releases
 * the lease so a successor need not wait for it to expire.
 */
export class LeaseElector {
  private readonly timing: ElectorTiming
  private leading = false
  private stopped = false
  private timer: CancelTimer | undefined
  private tick: Promise<void> | undefined
  private observed: { record: string; at: number } | undefined
  private lastRenew = 0
  /** Leadership changes run one after another: a term's start finishes before its stop begins. */
  private transitions: Promise<void> = Promise.resolve()
  private callbacks: LeaderCallbacks | undefined

  constructor(private readonly opts: ElectorOptions) {
    this.timing = opts.timing ?? DEFAULT_TIMING
  }

  isLeader(): boolean {
    return this.leading
  }

  start(callbacks: LeaderCallbacks): void {
    this.callbacks = callbacks
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.()
    await this.tick
    if (this.leading) {
      this.setLeading(false)
      await this.transitions
      await this.release()
    }
    await this.transitions
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = this.opts.clock.setTimer(ms, () => {
      this.tick = this.attempt().finally(() => this.schedule(this.timing.retryMs))
    })
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return
    this.leading = leading
    const { identity, namespace, name } = this.opts
    this.opts.logger.info({ identity, lease: `${namespace}/${name}` }, leading ? 'became the leader' : 'stopped leading')
    const cb = this.callbacks
    if (!cb) return
    this.transitions = this.transitions.then(() => (leading ? cb.onStartedLeading() : cb.onStoppedLeading())).catch((err: unknown) => {
      this.opts.logger.warn({ err }, 'leadership change failed')
    })
  }

  private spec(now: Date, previous: V1Lease['spec']): NonNullable<V1Lease['spec']> {
    const taking = previous?.holderIdentity !== this.opts.identity
    return {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.timing.leaseDurationMs / 1000),
      acquireTime: taking ? new V1MicroTime(now.getTime()) : previous?.acquireTime,
      renewTime: new V1MicroTime(now.getTime()),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (taking && previous?.holderIdentity ? 1 : 0),
    }
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return
    const { coordination, namespace, name, identity } = this.opts
    const now = this.opts.clock.now()
    try {
      const lease = await coordination.readNamespacedLease({ name, namespace }).catch((err: unknown) => {
        if (statusOf(err) === 404) return undefined
        throw err
      })
      if (!lease) {
        await coordination.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: this.spec(now, undefined) } })
        return this.won(now)
      }
      const spec = lease.spec ?? {}
      // renewTime is compared as the API server sent it: only whether it moved matters.
      const record = JSON.stringify([spec.holderIdentity ?? '', String(spec.renewTime ?? ''), spec.leaseTransitions ?? 0])
      if (this.observed?.record !== record) this.observed = { record, at: now.getTime() }
      const held = !!spec.holderIdentity && spec.holderIdentity !== identity
      const expired = now.getTime() - this.observed.at >= (spec.leaseDurationSeconds ?? 0) * 1000
      if (held && !expired) {
        this.setLeading(false)
        return
      }
      await coordination.replaceNamespacedLease({ name, namespace, body: { metadata: { ...lease.metadata, name, namespace }, spec: this.spec(now, spec) } })
      this.won(now)
    } catch (err) {
      // 409: someone else wrote first; anything else: the API server is not answering. Either way
      // a leader that has not renewed within the deadline must stop acting now.
      if (this.leading && now.getTime() - this.lastRenew >= this.timing.renewDeadlineMs) this.setLeading(false)
      if (statusOf(err) !== 409) this.opts.logger.warn({ err, lease: `${namespace}/${name}` }, 'lease renewal failed')
    }
  }

  private won(now: Date): void {
    this.lastRenew = now.getTime()
    this.observed = undefined
    this.setLeading(true)
  }

  /** Hands the lease back (empty holder, 1 s duration), so another candidate takes over at once. */
  private async release(): Promise<void> {
    const { coordination, namespace, name, identity } = this.opts
    try {
      const lease = await coordination.readNamespacedLease({ name, namespace })
      if (lease.spec?.holderIdentity !== identity) return
      const now = new V1MicroTime(this.opts.clock.now().getTime())
      await coordination.replaceNamespacedLease({
        name, namespace, body: { metadata: lease.metadata, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now } },
      })
    } catch (err) {
      this.opts.logger.warn({ err, lease: `${namespace}/${name}` }, 'could not release the lease; it expires on its own')
    }
  }
}
