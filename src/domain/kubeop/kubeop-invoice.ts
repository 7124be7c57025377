import type { DomainDeps } from '../deps.js'
import type { TenantRow } from '../../store/db.js'
import { requireTenantScope } from '../auth/manager-scope.js'
import type { Principal } from '../auth/principal.js'
import { errors } from '../errors.js'
import { draftInvoice } from '../invoices/invoice-service.js'
import { cachedTenantById, cachedTenantByName } from '../tenants/tenant-lookup.js'
import type { KubeopInvoice } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'config' | 'readCache'>

/**
 * GET /v1/invoices/{tenantID} (kubeOP): the open period's invoice summary, `tenantID` being the
 * tenant's name or id. The very Draft the tenant sees (§5.8), reshaped the kubeOP way.
 */
export async function kubeopInvoice(deps: Deps, principal: Principal, tenantRef: string): Promise<KubeopInvoice> {
  const tenant: TenantRow | undefined = (await cachedTenantByName(deps, tenantRef)) ?? (await cachedTenantById(deps, tenantRef))
  if (!tenant) {
    if (principal.kind !== 'platform-admin') throw errors.forbidden()
    throw errors.tenantNotFound()
  }
  // kubeOP's rule: the admin, or the tenant's own token.
  requireTenantScope(principal, tenant.id)
  const draft = await draftInvoice(deps, tenant.id)
  if (!draft) throw errors.tenantNotFound()
  const s = draft.status
  return {
    tenant_id: tenant.id,
    tenant_name: tenant.name,
    period: draft.name,
    period_start: draft.billingPeriod.start,
    period_end: draft.billingPeriod.end,
    status: 'Draft',
    lines: s.lineItems.map((l) => ({ kind: l.kind, description: l.description, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, cost: l.cost })),
    subtotal: s.subtotal,
    credits_applied: s.creditsApplied,
    tax: s.tax,
    total: s.total,
    currency: s.currency,
  }
}
