import { ok } from '../api/call.js'
import type { KupeClient, Schemas } from '../api/client.js'
import { appConditionOf } from '../views/app.js'
import type { Io } from './io.js'
import { waitUntil } from './wait-until.js'

export type ManagerTarget = 'ready' | 'deleted'

interface ManagerWait {
  api: KupeClient
  io: Io
  id: string
  target: ManagerTarget
  timeoutMs: number
}

/** An app is done when its current generation is rolled out and Ready, or when it is gone. */
export async function waitForApp(req: ManagerWait): Promise<{ app: Schemas['App'] | undefined; elapsedMs: number }> {
  const { current, elapsedMs } = await waitUntil<Schemas['App']>({
    io: req.io,
    label: `app ${req.id.slice(0, 8)}`,
    goal: req.target === 'ready' ? 'Ready' : 'deleted',
    timeoutMs: req.timeoutMs,
    read: async () => {
      const res = await req.api.GET('/v1/apps/{id}', { params: { path: { id: req.id } } })
      if (res.response.status === 404 && req.target === 'deleted') return undefined
      return (await ok(Promise.resolve(res))).data
    },
    reached: (a) => (req.target === 'deleted' ? a === undefined : !!a && a.status.phase === 'Ready' && a.status.observed_generation >= a.generation),
    // A failed hook or rollout of this very generation will not fix itself.
    blocked: (a) =>
      req.target === 'ready' && a.status.phase === 'Degraded' && a.status.observed_generation >= a.generation
        ? `app "${a.name}" is Degraded: ${appConditionOf(a)?.message ?? 'no details'}`
        : undefined,
    describe: (a) => ({
      phase: a.status.phase,
      detail: [`${a.status.available_replicas}/${a.replicas} available`, appConditionOf(a)?.message].filter(Boolean).join(' · '),
    }),
  })
  return { app: current, elapsedMs }
}

/** A project is done when its namespace, quota and policies are in place (Ready), or when it is gone. */
export async function waitForProject(req: ManagerWait): Promise<{ project: Schemas['Project'] | undefined; elapsedMs: number }> {
  const { current, elapsedMs } = await waitUntil<Schemas['Project']>({
    io: req.io,
    label: `project ${req.id.slice(0, 8)}`,
    goal: req.target === 'ready' ? 'Ready' : 'deleted',
    timeoutMs: req.timeoutMs,
    read: async () => {
      const res = await req.api.GET('/v1/projects/{id}', { params: { path: { id: req.id } } })
      if (res.response.status === 404 && req.target === 'deleted') return undefined
      return (await ok(Promise.resolve(res))).data
    },
    reached: (p) => (req.target === 'deleted' ? p === undefined : !!p && p.status.phase === 'Ready' && p.status.observed_generation >= p.generation),
    describe: (p) => ({ phase: p.status.phase, detail: p.status.conditions.find((c) => c.type === 'Ready')?.message }),
  })
  return { project: current, elapsedMs }
}
