import { toRfc3339 } from '../../lib/time.js'
import type { PlanRow, ProjectRow, TenantRow } from '../../store/db.js'
import { amountsOf, envelopeOf, formatAmount, sumAmounts } from '../projects/quota.js'
import type { KubeopTenant } from './schema.js'

/** The manager API's tenant: placement, envelope and what its projects hold of it. */
export function kubeopTenantToApi(tenant: TenantRow, plan: PlanRow | undefined, projects: ProjectRow[]): KubeopTenant {
  const envelope = envelopeOf(tenant, plan)
  const used = sumAmounts(projects.map((p) => amountsOf(p.quota)))
  return {
    id: tenant.id,
    name: tenant.name,
    display_name: tenant.display_name,
    plan: tenant.plan,
    phase: tenant.phase,
    cluster_id: tenant.host_cluster_id,
    quota: tenant.quota,
    envelope: {
      ...(envelope.cpu !== undefined ? { cpu: formatAmount('cpu', envelope.cpu) } : {}),
      ...(envelope.memory !== undefined ? { memory: formatAmount('memory', envelope.memory) } : {}),
      ...(envelope.storage !== undefined ? { storage: formatAmount('storage', envelope.storage) } : {}),
      ...(envelope.pods !== undefined ? { pods: Number(envelope.pods) } : {}),
    },
    used: {
      cpu: formatAmount('cpu', used.cpu),
      memory: formatAmount('memory', used.memory),
      storage: formatAmount('storage', used.storage),
      pods: Number(used.pods),
    },
    projects: projects.length,
    created_at: toRfc3339(tenant.created_at),
  }
}
