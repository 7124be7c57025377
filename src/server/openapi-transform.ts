import type { FastifySchema, RouteOptions } from 'fastify'

const SECURITY = {
  public: [],
  'platform-admin': [{ adminToken: [] }, { jwt: [] }],
  kubeop: [{ adminToken: [] }, { jwt: [] }],
  tenant: [{ apiKey: [] }],
} as const

/** Marks an operation whose body may be omitted; @fastify/swagger copies `x-` keys to it. */
const OPTIONAL_BODY = 'x-kupe-optional-body'

/**
 * @fastify/swagger marks every request body required; the operations that may omit theirs
 * (`POST …/credentials`, admin suspend/resume) say so here, and the marker leaves the document.
 */
type Operation = { [OPTIONAL_BODY]?: unknown; requestBody?: { required?: boolean } }

export function markOptionalBodies<T extends { paths?: Record<string, Record<string, unknown>> }>({ openapiObject }: { openapiObject: T }): T {
  for (const item of Object.values(openapiObject.paths ?? {})) {
    for (const value of Object.values(item)) {
      if (!value || typeof value !== 'object') continue
      const op = value as Operation
      if (!op[OPTIONAL_BODY]) continue
      delete op[OPTIONAL_BODY]
      if (op.requestBody) op.requestBody.required = false
    }
  }
  return openapiObject
}

/**
 * Shapes each route for the OpenAPI document: its `security` from the route's access rule, and
 * the vault wildcard (`*`, so that paths may contain `/`) documented as a `{path}` parameter.
 */
export function documentRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): {
  schema: FastifySchema
  url: string
} {
  const access = route.config?.access
  const documented: FastifySchema & { security?: unknown; [OPTIONAL_BODY]?: true } = { ...schema }
  if (access) documented.security = SECURITY[access.kind]
  if (route.config?.optionalBody && schema.body) documented[OPTIONAL_BODY] = true
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
