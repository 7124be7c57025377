import { UNROUTED_RECEIVER, type AlertmanagerRoute } from './schema.js'
import type { TenantConfig } from './tenant-config.js'

/** Whether a route or any route below it sends to `receiver`. */
export function routesUse(routes: AlertmanagerRoute[], receiver: string): boolean {
  return routes.some((r) => r.receiver === receiver || routesUse(r.routes ?? [], receiver))
}

/**
 * The configuration file Alertmanager loads: the tenant's receivers (by name) and global section,
 * under a root route that sends what no child route takes to a receiver with no integrations.
 * JSON, which Alertmanager's YAML loader reads as is: every string stays a quoted string (YAML
 * 1.1 would read a bare `on` or `yes` as a boolean).
 */
export function alertmanagerConfigFile(config: TenantConfig): string {
  const receivers = [...config.receivers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const file = {
    ...(Object.keys(config.global.body).length > 0 ? { global: config.global.body } : {}),
    route: { receiver: UNROUTED_RECEIVER, ...(config.routes.items.length > 0 ? { routes: config.routes.items } : {}) },
    receivers: [{ name: UNROUTED_RECEIVER }, ...receivers.map(([name, r]) => ({ ...r.body, name }))],
  }
  return `${JSON.stringify(file, null, 2)}\n`
}
