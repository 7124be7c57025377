import type { PathParamKind } from '../plugins/path-params.js'
import type { Access } from '../route-config.js'

/** Route guards used across route groups (spec §1.9 steps 3–8, read by the auth plugin). */
export const publicRoute = { kind: 'public' } as const satisfies Access
export const platformAdmin = { kind: 'platform-admin' } as const satisfies Access
export const anyMemberReads = { kind: 'tenant', role: 'any', write: false } as const satisfies Access
export const adminReads = { kind: 'tenant', role: 'admin', write: false } as const satisfies Access
export const adminWrites = { kind: 'tenant', role: 'admin', write: true } as const satisfies Access
/** Manager API (seed 004): the admin only, or also the tenant's / project's own JWT (scope checked by the service). */
export const kubeopAdmin = { kind: 'kubeop', scoped: [] } as const satisfies Access
export const kubeopTenants = { kind: 'kubeop', scoped: ['tenant'] } as const satisfies Access
export const kubeopProjects = { kind: 'kubeop', scoped: ['tenant', 'project'] } as const satisfies Access

/** Path parameters checked, in this order, before any lookup (§1.7, §1.9 step 9). */
export const checked = (...params: Array<[name: string, kind: PathParamKind]>) => ({ pathParams: params })

/** The common `{name}` parameter of clusters and secrets. */
export const byName = checked(['name', 'name'])
