import { Value } from '@sinclair/typebox/value'
import type { Keys } from '../../lib/secrets-crypto.js'
import type { ClusterProvider, ProviderState } from '../../providers/types.js'
import type { ClusterRow } from '../../store/db.js'
import { openClusterCa } from './cluster-ca.js'
import type { ProviderCluster, ProviderClusterWithCa } from './schema.js'

type StateOwner<S extends ProviderState> = Pick<ClusterProvider<S>, 'name' | 'stateSchema'>

/**
 * A cluster row as `provider` sees it. The state the provider saved is checked against the
 * schema it declares, so a provider only ever works on state of its own shape: one that does
 * not match (written by another provider, or edited by hand) is an error here, naming the
 * first offending field (never its value), rather than a surprise deep inside the provider.
 */
export function toProviderCluster<S extends ProviderState>(row: ClusterRow, provider: StateOwner<S>): ProviderCluster<S> {
  const state: unknown = row.provider_state
  if (!Value.Check(provider.stateSchema, state)) {
    const first = Value.Errors(provider.stateSchema, state).First()
    const where = first ? `${first.path || '/'}: ${first.message}` : 'not an object'
    throw new Error(`cluster ${row.id}: the saved state does not match the ${provider.name} provider's schema (${where})`)
  }
  const controller = row.controller_state
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    type: row.type,
    version: row.version,
    ...(controller.runningVersion ? { runningVersion: controller.runningVersion } : {}),
    highAvailability: row.high_availability,
    resources: row.resources,
    ...(row.status.endpoint ? { endpoint: row.status.endpoint } : {}),
    ...(controller.ca ? { ca: { certPem: controller.ca.certPem } } : {}),
    state: state as S, // checked against the provider's schema above
  }
}

/** The same view with the CA's private key, for provisioning and upgrades (the CA exists from the first provisioning step on). */
export function toProviderClusterWithCa<S extends ProviderState>(row: ClusterRow, provider: StateOwner<S>, keys: Keys): ProviderClusterWithCa<S> {
  const stored = row.controller_state.ca
  if (!stored) throw new Error(`cluster ${row.id} has no CA yet`)
  return { ...toProviderCluster(row, provider), ca: openClusterCa(keys, row.id, stored) }
}
