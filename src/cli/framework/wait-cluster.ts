import { ok } from '../api/call.js'
import type { KupeClient, Schemas } from '../api/client.js'
import { readyOf } from '../views/cluster.js'
import type { Io } from './io.js'
import { waitUntil } from './wait-until.js'

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

/**
 * Polls GET until the cluster is Running with every spec change applied (spec §5.2), or gone,
 * showing phase, elapsed time and the Ready condition's message. Fails at once when the cluster
 * can no longer get there (Failed, Deleting), and with a timeout error (exit 8) at the deadline.
 */
export async function waitForCluster(req: WaitRequest): Promise<WaitResult> {
  const { api, tenant, name, target } = req
  const { current, elapsedMs } = await waitUntil<Cluster>({
    io: req.io,
    label: `cluster ${name}`,
    subject: `cluster "${name}"`,
    goal: target === 'running' ? 'Running' : 'deleted',
    timeoutMs: req.timeoutMs,
    pollMs: req.pollMs,
    async read() {
      const res = await api.GET('/api/v1/tenants/{tenant}/clusters/{name}', { params: { path: { tenant, name } } })
      if (res.response.status === 404 && target === 'deleted') return undefined
      return (await ok(Promise.resolve(res))).data
    },
    reached: (c) => (target === 'deleted' ? c === undefined : !!c && c.status.phase === 'Running' && c.status.observedGeneration >= c.generation),
    blocked: (c) =>
      target === 'running' && (c.status.phase === 'Failed' || c.status.phase === 'Deleting')
        ? `cluster "${name}" is ${c.status.phase}: ${readyOf(c)?.message ?? 'no details'}`
        : undefined,
    describe: (c) => ({ phase: c.status.phase, detail: readyOf(c)?.message }),
  })
  return { cluster: current, elapsedMs }
}
