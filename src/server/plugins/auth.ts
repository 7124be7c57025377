import type { FastifyInstance, FastifyRequest } from 'fastify'
import { authenticate, bearerToken } from '../../domain/auth/authenticate.js'
import { isKeyOfDeletedTenant } from '../../domain/auth/deleted-tenant-key.js'
import type { Principal, TenantContext } from '../../domain/auth/principal.js'
import { isTenantName } from '../../domain/common/names.js'
import { errors } from '../../domain/errors.js'
import { AuthFailures } from '../auth-failures.js'
import type { DomainDeps } from '../../domain/deps.js'
import { queryOf, stringParamsOf } from '../request-parts.js'
import { checkPathParam, hasEmptyParam } from './path-params.js'

declare module 'fastify' {
  interface FastifyRequest {
    clientIp: string
    principal?: Principal
    /** Set on tenant routes once membership is established. */
    tenantContext?: TenantContext
  }
}

/** The caller of a guarded route (set by the auth hook before any handler runs). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('guarded route without a principal')
  return req.principal
}

/** The tenant context of a tenant route (set by the auth hook before any handler runs). */
export function tenantContextOf(req: FastifyRequest): TenantContext {
  if (!req.tenantContext) throw new Error('tenant route without tenant context')
  return req.tenantContext
}

function checkLimit(limit: unknown): void {
  if (limit === undefined) return
  const s = String(limit)
  if (!/^[1-9][0-9]{0,3}$/.test(s) || Number(s) > 1000) throw errors.invalidLimit()
}

/**
 * Every query parameter is one string (a repeated key is refused) without U+0000, which no
 * lookup could use (docs/decisions/0022-fuzzing-the-api.md).
 */
function checkQuery(query: Readonly<Record<string, unknown>>): void {
  for (const name in query) {
    const value = query[name]
    if (typeof value !== 'string' || value.includes('\u0000') || name.includes('\u0000')) throw errors.invalidQueryParameter(name)
  }
}

/**
 * Spec §1.9 steps 3–9 for every guarded route, before the body is read: penalty, authentication,
 * tenant name, membership, role, suspension, then path and query parameters.
 */
export function installAuth(app: FastifyInstance, deps: Pick<DomainDeps, 'db' | 'readCache' | 'clock' | 'keyUses' | 'keys' | 'adminToken' | 'config' | 'oidc'>): void {
  const failures = new AuthFailures()

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config ?? {}
    const params = stringParamsOf(req)
    if (hasEmptyParam(params)) throw errors.notFound()
    const access = config.access
    if (access && access.kind !== 'public') {
      const penalty = failures.penaltySeconds(req.clientIp)
      if (penalty > 0) throw errors.authPenalty(penalty)
      const header = req.headers.authorization
      const token = bearerToken(header)
      const authenticated = token ? await authenticate(deps, token, params.tenant) : undefined
      if (!authenticated) {
        // The key of a tenant deleted within the day, on that tenant's routes: it is gone (decision 0029).
        if (token && access.kind === 'tenant' && (await isKeyOfDeletedTenant(deps, token, params.tenant ?? ''))) throw errors.tenantNotFound()
        if (header !== undefined) failures.record(req.clientIp)
        throw errors.unauthenticated()
      }
      const { principal, tenant } = authenticated
      req.principal = principal
      if (access.kind === 'platform-admin') {
        if (principal.kind !== 'platform-admin') throw errors.adminRequired()
      } else if (access.kind === 'kubeop') {
        const allowed = principal.kind === 'platform-admin' || (principal.kind === 'scoped' && access.scoped.includes(principal.role))
        // A tenant API key is no manager token at all: to it these are admin routes.
        if (!allowed) throw principal.kind === 'scoped' && access.scoped.length > 0 ? errors.forbidden() : errors.adminRequired()
      } else {
        const tenantName = params.tenant ?? ''
        if (!isTenantName(tenantName)) throw errors.invalidTenantName()
        if ((principal.kind !== 'apikey' && principal.kind !== 'member') || principal.tenantName !== tenantName) throw errors.notMember()
        if (!tenant || tenant.name !== tenantName) throw errors.notMember()
        if (access.role === 'admin' && principal.role !== 'admin') throw errors.adminRequired()
        if (access.write && tenant.phase === 'Suspended') throw errors.tenantSuspended()
        if (access.write && tenant.phase === 'Deleting') throw errors.tenantDeleting()
        req.tenantContext = { tenant, principal }
      }
    }
    for (const [name, kind] of config.pathParams ?? []) checkPathParam(kind, params[name])
    // A NUL in a free-form path parameter names nothing that could exist.
    if (Object.values(params).some((v) => v?.includes('\u0000'))) throw errors.notFound()
    const query = queryOf(req)
    if (config.list) checkLimit(query.limit)
    checkQuery(query)
    for (const [name, kind] of config.queryParams ?? []) if (query[name] !== undefined) checkPathParam(kind, query[name] as string)
  })
}
