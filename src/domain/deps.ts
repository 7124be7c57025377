import type { Config } from '../config.js'
import type { Clock } from '../lib/clock.js'
import type { Keys } from '../lib/secrets-crypto.js'
import type { ClusterProvider } from '../providers/types.js'
import type { Db } from '../store/db.js'
import type { ReadCache } from '../store/read-cache.js'
import type { KeyUseStamps } from './apikeys/key-use-stamps.js'
import type { OidcVerifier } from './auth/oidc.js'

/**
 * Wake-ups for controllers; a missed one only delays work until the next resync. `clusters`
 * may name a cluster id, `billing` and `secrets` a tenant id: the controller then looks at that
 * key alone (decision 0024); without a key it lists every key again.
 */
export type Signal = 'clusters' | 'tenants' | 'secrets' | 'billing' | 'host-clusters' | 'kubeop' | 'events' | 'alertmanager'

/**
 * Everything a domain service may use. Each service takes the slice it needs
 * (`Pick<DomainDeps, 'db' | 'clock'>`, STYLE rule 15); the container built by `kupe server`
 * provides all of it.
 */
export interface DomainDeps {
  config: Config
  db: Db
  /** Rows the authenticated hot path reads, invalidated by every write (decision 0008). */
  readCache: ReadCache
  clock: Clock
  /** API key uses not yet written (decision 0039). */
  keyUses: KeyUseStamps
  keys: Keys
  /** The bootstrap admin token (never logged except the first-start banner). */
  adminToken: string
  /** Member sign-in tokens from config.oidc's issuer; absent when none is configured. */
  oidc?: OidcVerifier
  /** The cluster backend chosen by config.provider. */
  provider: ClusterProvider
  signal(kind: Signal, key?: string): void
}
