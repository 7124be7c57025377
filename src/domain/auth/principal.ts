import type { TenantRow } from '../../store/db.js'
import type { Role } from '../common/schema.js'

/** Roles of manager-API JWTs (seed 004): `admin`, or scoped to one tenant or one project. */
export const SCOPED_ROLES = ['tenant', 'project'] as const
export type ScopedRole = (typeof SCOPED_ROLES)[number]

/** Who is calling. `id` is what `createdBy` fields hold (spec §2.3) and what scopes idempotency keys. */
export type Principal =
  | { kind: 'apikey'; id: string; keyId: string; tenantId: string; tenantName: string; role: Role; createdBy: string; expiresAt: Date | null }
  /**
   * A member signed in through the OpenID Connect issuer (spec §2.2): `id` is their email, the
   * role is their current one in the tenant, and `expiresAt` the token's `exp`.
   */
  | { kind: 'member'; id: string; email: string; tenantId: string; tenantName: string; role: Role; expiresAt: Date }
  /** The bootstrap admin token (`platform-admin`) or a JWT with role admin (`jwt:<sub>`). */
  | { kind: 'platform-admin'; id: string }
  /** A JWT with role tenant (scope `tenant:<id>`) or project (scope `project:<id>`). */
  | { kind: 'scoped'; id: string; role: ScopedRole; scopeId: string }

export type TenantPrincipal = Extract<Principal, { kind: 'apikey' | 'member' }>

/** What every tenant-scoped service call receives: the resolved tenant and its authenticated caller. */
export interface TenantContext {
  tenant: TenantRow
  principal: TenantPrincipal
}
