import type { AppStatus } from '../../domain/apps/schema.js'
import type { ProjectStatus } from '../../domain/projects/schema.js'
import type { AppObject } from '../../operator/crds/app-crd.js'
import type { ProjectObject } from '../../operator/crds/project-crd.js'

/**
 * What the operator wrote on an object, in the manager API's words (snake_case, the row's own
 * generation). The status describes the row's current spec only once the operator has observed
 * the object's current generation (the sync applied that spec just before); until then the row
 * keeps the generation it last saw done.
 */
function observed(objectGeneration: number | undefined, statusGeneration: number | undefined, rowGeneration: number, previous: number): number {
  return objectGeneration !== undefined && statusGeneration === objectGeneration ? rowGeneration : previous
}

export function projectStatusOf(obj: ProjectObject, rowGeneration: number, previous: ProjectStatus): ProjectStatus {
  const s = obj.status ?? {}
  return {
    phase: s.phase ?? 'Pending',
    conditions: s.conditions ?? [],
    observed_generation: observed(obj.metadata.generation, s.observedGeneration, rowGeneration, previous.observed_generation),
  }
}

export function appStatusOf(obj: AppObject, rowGeneration: number, previous: AppStatus): AppStatus {
  const s = obj.status ?? {}
  return {
    phase: s.phase ?? 'Pending',
    ...(s.revision ? { revision: s.revision } : {}),
    available_replicas: s.availableReplicas ?? 0,
    hooks: s.hooks ?? [],
    conditions: s.conditions ?? [],
    observed_generation: observed(obj.metadata.generation, s.observedGeneration, rowGeneration, previous.observed_generation),
  }
}
