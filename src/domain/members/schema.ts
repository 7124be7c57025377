import { Type, type Static } from '@sinclair/typebox'
import { Role } from '../common/schema.js'

// The response object is `Member` (tenants/schema.ts): members live on the tenant (spec §5.6, §6.6).

/** POST /tenants/{tenant}/members. */
export const MemberCreate = Type.Object(
  { email: Type.String({ format: 'kupe-email' }), role: Role },
  { additionalProperties: false },
)
export type MemberCreate = Static<typeof MemberCreate>

/** PATCH /tenants/{tenant}/members/{email}. */
export const MemberPatch = Type.Object({ role: Role }, { additionalProperties: false })
export type MemberPatch = Static<typeof MemberPatch>
