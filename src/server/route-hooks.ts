import type { FastifyInstance, RouteOptions } from 'fastify'

type RouteHookName = 'preValidation' | 'preHandler' | 'onSend'

/**
 * Adds `hook` to every route that `applies` to, instead of to every request: a GET never needs
 * the body, idempotency or 304 steps, and each skipped hook is work off the hottest path.
 * Must be installed before the routes are registered; route hooks run in the order added.
 */
export function addRouteHook(app: FastifyInstance, name: RouteHookName, applies: (route: RouteOptions) => boolean, hook: unknown): void {
  app.addHook('onRoute', (route) => {
    if (!applies(route)) return
    const existing = route[name] as unknown
    const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]
    ;(route as unknown as Record<string, unknown>)[name] = [...hooks, hook]
  })
}

/** The route's methods, HEAD and OPTIONS included when declared. */
export const methodsOf = (route: RouteOptions): string[] => (Array.isArray(route.method) ? route.method : [route.method])
