import type { FastifySchema, RouteOptions } from 'fastify'

const SECURITY = {
  public: [],
  'platform-admin': [{ adminToken: [] }],
  tenant: [{ apiKey: [] }],
} as const

/**
 * Shapes each route for the OpenAPI document: its `security` from the route's access rule, and
 * the vault wildcard (`*`, so that paths may contain `/`) documented as a `{path}` parameter.
 */
export function documentRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): {
  schema: FastifySchema
  url: string
} {
  const access = route.config?.access
  const documented: FastifySchema & { security?: unknown } = { ...schema }
  if (access) documented.security = SECURITY[access.kind]
  if (!url.endsWith('/*')) return { schema: documented, url }
  const params = schema.params as { properties?: Record<string, unknown>; required?: string[] } | undefined
  const properties = { ...(params?.properties ?? {}) }
  const wildcard = properties['*'] ?? { type: 'string' }
  delete properties['*']
  documented.params = {
    ...params,
    type: 'object',
    properties: { ...properties, path: { ...(wildcard as object), description: 'Vault path; may contain "/"' } },
    required: [...(params?.required ?? []).filter((r) => r !== '*'), 'path'],
  }
  return { schema: documented, url: `${url.slice(0, -1)}:path` }
}
