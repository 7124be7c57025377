import { Type, type Static } from '@sinclair/typebox'
import { VAULT_DATA_KEY } from '../common/names.js'
import { queryInteger, VaultPrefix } from '../common/schema.js'

const Path = Type.String({ description: 'Vault path (spec §1.7), may contain `/`' })
const Data = Type.Object(
  {},
  {
    additionalProperties: Type.String(),
    propertyNames: { pattern: VAULT_DATA_KEY },
    description: `Keys match ${VAULT_DATA_KEY}; values are strings. At most 1 MiB of keys and values (UTF-8).`,
  },
)

/** PUT /tenants/{tenant}/vault/{path} (spec §5.5). A bad key or value is INVALID_FIELD `data.<key>`, in document order. */
export const VaultWrite = Type.Object({ data: Data }, { additionalProperties: false })
export type VaultWrite = Static<typeof VaultWrite>

export const VaultWriteResult = Type.Object(
  { path: Path, version: Type.Integer({ minimum: 1 }), createdAt: Type.String() },
  { $id: 'VaultWriteResult', additionalProperties: false },
)
export type VaultWriteResult = Static<typeof VaultWriteResult>

export const VaultValue = Type.Object(
  { path: Path, version: Type.Integer({ minimum: 1 }), data: Data, createdAt: Type.String() },
  { $id: 'VaultValue', additionalProperties: false },
)
export type VaultValue = Static<typeof VaultValue>

/** A list item: metadata only, never a value. */
export const VaultEntry = Type.Object(
  { path: Path, version: Type.Integer({ minimum: 1 }), updatedAt: Type.String() },
  { $id: 'VaultEntry', additionalProperties: false },
)
export type VaultEntry = Static<typeof VaultEntry>

/** GET /tenants/{tenant}/vault-versions/{path}: the kept versions of a path, metadata only. */
export const VaultVersions = Type.Object(
  {
    path: Path,
    currentVersion: Type.Integer({ minimum: 1 }),
    versions: Type.Array(
      Type.Object({ version: Type.Integer({ minimum: 1 }), createdAt: Type.String() }, { additionalProperties: false }),
      { description: 'Kept versions (at most 10), newest first' },
    ),
  },
  { $id: 'VaultVersions', additionalProperties: false },
)
export type VaultVersions = Static<typeof VaultVersions>

export const VaultReadQuery = Type.Object({
  version: Type.Optional(queryInteger({ minimum: 1, description: 'A kept version; default the latest' })),
})

export const VaultListQuery = Type.Object({
  prefix: Type.Optional(VaultPrefix('Plain string prefix of the path; may end with `/`')),
  limit: Type.Optional(queryInteger({ minimum: 1, maximum: 1000 })),
  continue: Type.Optional(Type.String()),
})
