import type { Container } from '../../container.js'
import type { TenantContext } from '../auth/principal.js'
import { errors } from '../errors.js'
import type { Tenant, TenantPatch } from './schema.js'
import { tenantToApi } from './tenant-view.js'

type Deps = Pick<Container, 'db' | 'clock' | 'config' | 'signal'>

export async function getTenant(deps: Deps, ctx: TenantContext): Promise<Tenant> {
  return tenantToApi(deps, ctx.tenant)
}

/** PATCH /tenants/{tenant} (spec §5.1). */
export async function patchTenant(_deps: Deps, _ctx: TenantContext, _body: TenantPatch, _ifMatch: string | undefined): Promise<Tenant> {
  throw errors.internal() // TODO(#2): implemented by the tenant-settings work in this change set
}
