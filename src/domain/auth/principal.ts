import type { TenantRow } from '../../store/db.js'
import type { Role } from '../common/schema.js'

/** Who is calling. `id` is what `createdBy` fields hold (spec §2.3). */
export type Principal =
  | { kind: 'apikey'; id: string; keyId: string; tenantId: string; tenantName: string; role: Role; createdBy: string; expiresAt: Date | null }
  | { kind: 'platform-admin'; id: 'platform-admin' }

export type TenantPrincipal = Extract<Principal, { kind: 'apikey' }>

/** What every tenant-scoped service call receives: the resolved tenant and its authenticated caller. */
export interface TenantContext {
  tenant: TenantRow
  principal: TenantPrincipal
}
