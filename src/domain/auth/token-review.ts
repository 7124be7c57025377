import { Type, type Static } from '@sinclair/typebox'
import type { DomainDeps } from '../deps.js'
import { isTokenReviewCaller } from '../../kube/token-webhook.js'
import { findClusterById } from '../../store/clusters.js'
import { verifyClusterCredential } from '../credentials/verify-credential.js'
import { errors } from '../errors.js'
import { authenticate } from './authenticate.js'

/**
 * A Kubernetes `authentication.k8s.io` TokenReview as a tenant API server posts it to its
 * webhook. Kubernetes owns this shape and may add fields, so unknown ones are allowed.
 */
export const TokenReviewRequest = Type.Object(
  {
    apiVersion: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    spec: Type.Object({ token: Type.String(), audiences: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: true }),
  },
  { additionalProperties: true, description: 'authentication.k8s.io/v1 TokenReview' },
)
export type TokenReviewRequest = Static<typeof TokenReviewRequest>

export const TokenReviewResponse = Type.Object(
  {
    apiVersion: Type.String(),
    kind: Type.Literal('TokenReview'),
    status: Type.Object({
      authenticated: Type.Boolean(),
      user: Type.Optional(Type.Object({ username: Type.String(), uid: Type.String(), groups: Type.Array(Type.String()) })),
    }),
  },
  { description: 'authentication.k8s.io/v1 TokenReview with its status' },
)
export type TokenReviewResponse = Static<typeof TokenReviewResponse>

type Deps = Pick<DomainDeps, 'db' | 'readCache' | 'clock' | 'keyUses' | 'keys' | 'adminToken' | 'config'>

const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

interface ClusterUser {
  username: string
  uid: string
  groups: string[]
}

/**
 * Who a bearer token is on one tenant cluster (spec §2.6): an API key of the cluster's tenant
 * (`kupe:apikey:<id>`), or a credential of this very cluster (`kupe:credential:<id>`), each in
 * the group of its role; anything else is nobody. Nothing is cached: a revoked or expired key
 * or credential is refused on its next use.
 */
async function clusterUser(deps: Deps, cluster: { id: string; tenant_id: string }, token: string): Promise<ClusterUser | undefined> {
  if (token.startsWith('kupec_')) {
    const verified = await verifyClusterCredential(deps, token)
    if (!verified || verified.cluster.id !== cluster.id) return undefined
    const { credential } = verified
    return { username: `kupe:credential:${credential.id}`, uid: credential.id, groups: [`kupe:${credential.role}`] }
  }
  if (!token.startsWith('kupe_')) return undefined
  const authenticated = await authenticate(deps, token)
  const principal = authenticated?.principal
  if (principal?.kind !== 'apikey' || principal.tenantId !== cluster.tenant_id) return undefined
  return { username: `kupe:apikey:${principal.keyId}`, uid: principal.keyId, groups: [`kupe:${principal.role}`] }
}

/**
 * The token-review webhook of one tenant cluster. Only that cluster's API server may ask: it
 * presents the secret derived for its cluster id (checked before anything is looked up, so
 * other callers learn nothing, not even whether the cluster exists).
 */
export async function reviewToken(deps: Deps, clusterId: string, caller: string | undefined, review: TokenReviewRequest): Promise<TokenReviewResponse> {
  if (!CLUSTER_ID.test(clusterId) || !isTokenReviewCaller(deps.keys, clusterId, caller)) throw errors.unauthenticated()
  const answer = (user?: ClusterUser): TokenReviewResponse => ({
    apiVersion: review.apiVersion ?? 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    status: user ? { authenticated: true, user } : { authenticated: false },
  })
  const cluster = await findClusterById(deps.db, clusterId)
  if (!cluster || cluster.deletion_requested_at) return answer()
  return answer(await clusterUser(deps, cluster, review.spec.token))
}
