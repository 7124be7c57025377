import { ok } from '../api/call.js'
import type { KupeClient, Schemas } from '../api/client.js'
import { readyOf } from '../views/cluster.js'
import { formatElapsed } from './duration.js'
import { CliError, waitTimeout } from './errors.js'
import type { Io } from './io.js'
import { createProgress } from './progress.js'

type Cluster = Schemas['Cluster']

export type WaitTarget = 'running' | 'deleted'

export interface WaitRequest {
  api: KupeClient
  io: Io
  tenant: string
  name: string
  target: WaitTarget
  timeoutMs: number
  /** Between two GETs; the spinner and elapsed time redraw more often. */
  pollMs?: number
}

export interface WaitResult {
  /** The final object; undefined once deleted. */
  cluster: Cluster | undefined
  elapsedMs: number
}

const TICK_MS = 250

/** Done: Running with every spec change applied (spec §5.2), or gone. */
function reached(c: Cluster, target: WaitTarget): boolean {
  return target === 'running' && c.status.phase === 'Running' && c.status.observedGeneration >= c.generation
}

/**
 * Polls GET until the cluster is Running (or gone), showing phase, elapsed time and the Ready
 * condition's message. Fails at once when the cluster can no longer get there (Failed, Deleting),
 * and with a timeout error (exit 8) at the deadline.
 */
export async function waitForCluster(req: WaitRequest): Promise<WaitResult> {
  const { api, io, tenant, name, target } = req
  const started = io.now()
  const deadline = started + req.timeoutMs
  const pollMs = req.pollMs ?? 1000
  const elapsed = () => formatElapsed(io.now() - started)
  let current: Cluster | undefined
  const show = () => {
    const ready = current ? readyOf(current) : undefined
    const phase = current?.status.phase ?? 'waiting'
    progress.update(`${phase} · ${elapsed()}${ready?.message ? ` · ${ready.message}` : ''}`, `${phase} ${ready?.message ?? ''}`)
  }
  const progress = createProgress(io, () => `cluster ${name}:`)
  try {
    for (;;) {
      const res = await api.GET('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path: { tenant, name } } })
      if (res.response.status === 404 && target === 'deleted') return { cluster: undefined, elapsedMs: io.now() - started }
      current = (await ok(Promise.resolve(res))).data
      show()
      if (reached(current, target)) return { cluster: current, elapsedMs: io.now() - started }
      if (target === 'running' && (current.status.phase === 'Failed' || current.status.phase === 'Deleting')) {
        throw new CliError('other', `cluster "${name}" is ${current.status.phase}: ${readyOf(current)?.message ?? 'no details'}`)
      }
      if (io.now() >= deadline) {
        const goal = target === 'running' ? 'Running' : 'deleted'
        throw waitTimeout(`timed out after ${formatElapsed(req.timeoutMs)} waiting for cluster "${name}" to be ${goal} (phase ${current.status.phase})`)
      }
      const wakeAt = Math.min(io.now() + pollMs, deadline)
      while (io.now() < wakeAt) {
        await io.sleep(Math.min(TICK_MS, wakeAt - io.now()))
        show()
      }
    }
  } finally {
    progress.stop()
  }
}
