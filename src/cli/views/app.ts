import type { Schemas } from '../api/client.js'
import type { View } from '../framework/output.js'

type App = Schemas['App']

/** The condition that explains the app's phase best: Degraded, else Progressing, else Ready. */
export function appConditionOf(a: App): Schemas['Condition'] | undefined {
  const byType = (t: string) => a.status.conditions.find((c) => c.type === t)
  const degraded = byType('Degraded')
  if (degraded?.status === 'True') return degraded
  const progressing = byType('Progressing')
  return progressing?.status === 'True' ? progressing : byType('Ready')
}

export const appView: View<App> = {
  id: (a) => a.id,
  columns: [
    ['ID', (a) => a.id],
    ['NAME', (a) => a.name],
    ['IMAGE', (a) => a.image],
    ['PHASE', (a) => a.status.phase],
    ['READY', (a) => `${a.status.available_replicas}/${a.replicas}`],
    ['REVISION', (a) => a.status.revision ?? ''],
    ['CREATED', (a) => a.created_at],
  ],
  details: (a) => [
    ['ID', a.id],
    ['Name', a.name],
    ['Project', a.project_id],
    ['Namespace', a.namespace],
    ['Image', a.image],
    ['Replicas', `${a.status.available_replicas} available of ${a.replicas}`],
    ['Ports', a.ports?.map((p) => `${p.servicePort ?? p.containerPort}→${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')],
    ['Host', a.host],
    ['Phase', a.status.phase],
    ['Condition', appConditionOf(a) ? `${appConditionOf(a)!.type}=${appConditionOf(a)!.status} (${appConditionOf(a)!.reason}) ${appConditionOf(a)!.message}`.trim() : undefined],
    ['Revision', a.status.revision],
    ['Hooks', a.status.hooks.map((h) => `${h.phase}/${h.name}@${h.revision}: ${h.result}`).join(', ') || undefined],
    ['Generation', `${a.generation} (observed ${a.status.observed_generation})`],
    ['Created', a.created_at],
  ],
}
