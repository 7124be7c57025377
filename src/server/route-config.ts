import type { ScopedRole } from '../domain/auth/principal.js'
import type { Role } from '../domain/common/schema.js'
import type { PathParamKind } from './plugins/path-params.js'

/** How a route is guarded; read by the auth plugin (spec §1.9 steps 3–8). */
export type Access =
  | { kind: 'public' }
  | { kind: 'platform-admin' }
  /** Manager API (seed 004): the admin, or JWTs of these scoped roles (the service checks the scope). */
  | { kind: 'kubeop'; scoped: readonly ScopedRole[] }
  | {
      kind: 'tenant'
      role: Role | 'any'
      /** Writes are refused on suspended tenants (§2.4). */
      write: boolean
    }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /** Path parameters checked in this order before any lookup (§1.7, §1.9 step 9). */
    pathParams?: Array<[name: string, kind: PathParamKind]>
    /** Query parameters checked like path parameters when present (after them). */
    queryParams?: Array<[name: string, kind: PathParamKind]>
    /** Prefix of `field` in body errors: `spec.` for clusters and secrets (§3.1). */
    fieldPrefix?: string
    /** Content types accepted besides application/json. */
    mergePatch?: boolean
    /** The route answers If-None-Match with 304 (§1.6). */
    conditional?: boolean
    /** The response carries a secret: `Cache-Control: no-store`. */
    noStore?: boolean
    /** A list route: `?limit` is validated with the path parameters (§1.4). */
    list?: boolean
    /**
     * A DELETE that reads its body (only DELETE /tenants/{tenant}: the Kupe CLI sends the typed
     * confirmation there). Every other DELETE ignores its body (§1.2).
     */
    deleteBody?: boolean
    /** POST without a body is allowed (only …/credentials). */
    optionalBody?: boolean
    /**
     * Not counted against the caller IP's rate limit: the token-review webhook, whose callers
     * are tenant API servers that all share the server's loopback address (one tenant's
     * kubectl traffic must not lock the others out of their clusters).
     */
    unmetered?: boolean
  }
}
