import { listKeysCreatedBy } from '../../store/api-keys.js'
import type { Executor } from '../../store/db.js'
import { findMember } from '../../store/members.js'

const APIKEY = 'apikey:'

/** Each key id of a tenant → its `createdBy` (revoked keys included: the chain is history). */
export async function keyCreators(db: Executor, tenantId: string): Promise<Map<string, string>> {
  return new Map((await listKeysCreatedBy(db, tenantId)).map((k) => [k.id, k.created_by]))
}

/** The email at the end of a `createdBy` chain through keys created by keys, if it ends at one. */
export function followCreatedBy(principalId: string, creators: ReadonlyMap<string, string>): string | undefined {
  let current = principalId
  const seen = new Set<string>()
  while (current.startsWith(APIKEY)) {
    if (seen.has(current)) return undefined
    seen.add(current)
    const next = creators.get(current.slice(APIKEY.length))
    if (next === undefined) return undefined
    current = next
  }
  return current.includes('@') ? current.toLowerCase() : undefined
}

/** Keys whose chain ends at `email`: what that person acts through. */
export function keysOfPerson(email: string, creators: ReadonlyMap<string, string>): string[] {
  return [...creators.keys()].filter((id) => followCreatedBy(`${APIKEY}${id}`, creators) === email)
}

/**
 * The caller's member identity (spec §2.3): a member token's email, or for an API key the email
 * reached by following `createdBy`; a chain that ends at no current member gives none.
 */
export async function memberIdentityOf(db: Executor, tenantId: string, principalId: string): Promise<string | undefined> {
  const email = followCreatedBy(principalId, await keyCreators(db, tenantId))
  if (email === undefined) return undefined
  return (await findMember(db, tenantId, email)) ? email : undefined
}
