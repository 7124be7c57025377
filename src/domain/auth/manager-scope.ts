import { errors } from '../errors.js'
import type { Principal } from './principal.js'

/**
 * Scope rules of the manager API (seed 004, kubeOP's roles): the admin may do anything; a
 * tenant token acts within its tenant; a project token within its project. A token outside its
 * scope gets 403, as kubeOP answered.
 */
export function requireTenantScope(principal: Principal, tenantId: string): void {
  if (principal.kind === 'platform-admin') return
  if (principal.kind === 'scoped' && principal.role === 'tenant' && principal.scopeId === tenantId) return
  throw errors.forbidden()
}

export function requireProjectScope(principal: Principal, project: { id: string; tenant_id: string }): void {
  if (principal.kind === 'platform-admin') return
  if (principal.kind === 'scoped' && principal.role === 'tenant' && principal.scopeId === project.tenant_id) return
  if (principal.kind === 'scoped' && principal.role === 'project' && principal.scopeId === project.id) return
  throw errors.forbidden()
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind !== 'platform-admin') throw errors.forbidden()
}
