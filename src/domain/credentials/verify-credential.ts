import type { DomainDeps } from '../deps.js'
import { findApiKey } from '../../store/api-keys.js'
import { findClusterById } from '../../store/clusters.js'
import { findCredential } from '../../store/credentials.js'
import type { ClusterRow, CredentialRow } from '../../store/db.js'
import { findMember } from '../../store/members.js'
import { parseToken } from '../apikeys/token-format.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys'>

export interface VerifiedCredential {
  credential: CredentialRow
  cluster: ClusterRow
}

const live = (expiresAt: Date | null, revokedAt: Date | null, now: Date) =>
  !revokedAt && (expiresAt === null || expiresAt.getTime() > now.getTime())

/**
 * Checks a `kupec_` cluster credential (spec §5.3, §2.6) for the token-review webhook: well
 * formed with a valid checksum, known, HMAC-equal, not revoked or expired, its cluster still
 * there and not being deleted, the API key that created it still valid, and the member who
 * created it (sign-in tokens) still holding at least its role. Undefined means "reject".
 * Nothing is cached, so revocation takes effect on the next request.
 */
export async function verifyClusterCredential(deps: Deps, token: string): Promise<VerifiedCredential | undefined> {
  const hex = parseToken('kupec', token)
  if (!hex) return undefined
  const credential = await findCredential(deps.db, `cc-${hex}`)
  if (!credential || !deps.keys.hmacEquals(token, credential.token_hmac)) return undefined
  const now = deps.clock.now()
  if (!live(credential.expires_at, credential.revoked_at, now)) return undefined
  const cluster = await findClusterById(deps.db, credential.cluster_id)
  if (!cluster || cluster.deletion_requested_at || cluster.tenant_id !== credential.tenant_id) return undefined
  if (credential.creator_key_id) {
    const key = await findApiKey(deps.db, credential.creator_key_id)
    if (!key || !live(key.expires_at, key.revoked_at, now)) return undefined
  }
  if (credential.creator_email) {
    const member = await findMember(deps.db, credential.tenant_id, credential.creator_email)
    if (!member || (credential.role === 'admin' && member.role !== 'admin')) return undefined
  }
  return { credential, cluster }
}
