import type { FastifySchema, RouteOptions } from 'fastify'
import { documentExactly, PATH_PARAMS, type ExactOptions } from './openapi-exact.js'
import type { PathParamKind } from './plugins/path-params.js'

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

type OpenApiObject = { paths?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, Record<string, unknown>> } }

/** The last step of the document: optional bodies, then the exact rules (src/server/openapi-exact.ts). */
export const finishDocument = (o: ExactOptions) => <T extends OpenApiObject>({ openapiObject }: { openapiObject: T }): T => {
  markOptionalBodies(openapiObject)
  documentExactly(openapiObject, o)
  return openapiObject
}

function markOptionalBodies(openapiObject: OpenApiObject): void {
  for (const item of Object.values(openapiObject.paths ?? {})) {
    for (const value of Object.values(item)) {
      if (!value || typeof value !== 'object') continue
      const op = value as Operation
      if (!op[OPTIONAL_BODY]) continue
      delete op[OPTIONAL_BODY]
      if (op.requestBody) op.requestBody.required = false
    }
  }
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
  const params = schema.params as { properties?: Record<string, unknown>; required?: string[] } | undefined
  const properties = { ...(params?.properties ?? {}) }
  // The path parameters the auth hook checks, documented with the very rule it checks.
  const tenantCheck: Array<[string, PathParamKind]> = access?.kind === 'tenant' ? [['tenant', 'tenantName']] : []
  for (const [name, kind] of [...tenantCheck, ...(route.config?.pathParams ?? [])]) {
    if (properties[name]) properties[name] = { ...(properties[name] as object), ...PATH_PARAMS[kind] }
  }
  if (params) documented.params = { ...params, properties }
  const query = schema.querystring as { properties?: Record<string, unknown> } | undefined
  if (query?.properties && route.config?.queryParams) {
    const q = { ...query.properties }
    for (const [name, kind] of route.config.queryParams) if (q[name]) q[name] = { ...(q[name] as object), ...PATH_PARAMS[kind] }
    documented.querystring = { ...query, properties: q }
  }
  if (!url.endsWith('/*')) return { schema: documented, url }
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
