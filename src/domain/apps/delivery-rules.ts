import type { DomainDeps } from '../deps.js'
import { errors } from '../errors.js'
import { registryAllowed, registryOf } from './image-registry.js'
import type { AppSpec } from './schema.js'

/** Every image an app would pull (its own and its hooks') must come from an allowed registry. */
export function checkImages(deps: Pick<DomainDeps, 'config'>, spec: AppSpec): void {
  const images: Array<[string, string]> = [['image', spec.image]]
  for (const phase of ['pre', 'post'] as const) {
    spec.hooks?.[phase]?.forEach((h, i) => h.image !== undefined && images.push([`hooks.${phase}[${i}].image`, h.image]))
  }
  for (const [field, image] of images) {
    const registry = registryOf(image)
    if (!registry) throw errors.invalidImage(field)
    if (!registryAllowed(registry, deps.config.kubeop.imageAllowlist)) throw errors.imageRegistryNotAllowed(registry, field)
  }
}

/** Hook names are Job name parts: unique within their phase. */
export function checkHooks(spec: AppSpec): void {
  for (const phase of ['pre', 'post'] as const) {
    const names = (spec.hooks?.[phase] ?? []).map((h) => h.name)
    const dup = names.find((n, i) => names.indexOf(n) !== i)
    if (dup !== undefined) throw errors.invalidField(`hooks.${phase}`, `hooks.${phase}`, `hook name "${dup}" is used twice`)
  }
}
