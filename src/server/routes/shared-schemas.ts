import { Type, type TSchema } from '@sinclair/typebox'
import { AlertmanagerGlobal, AlertmanagerReceiver, AlertmanagerRoute, AlertmanagerRoutes } from '../../domain/alertmanager/schema.js'
import { ApiKey, ApiKeyCreated } from '../../domain/apikeys/schema.js'
import { App } from '../../domain/apps/schema.js'
import { HostCluster } from '../../domain/hostclusters/schema.js'
import { Project, Quota } from '../../domain/projects/schema.js'
import { Cluster, ClusterCreated, ConnectionDetails, Warning } from '../../domain/clusters/schema.js'
import { Condition, queryInteger } from '../../domain/common/schema.js'
import { Credential, CredentialCreated, Kubeconfig } from '../../domain/credentials/schema.js'
import { Credit } from '../../domain/credits/schema.js'
import { ClosedPeriod, Invoice, LineItem } from '../../domain/invoices/schema.js'
import { AnalyticsSummary, KubeopInvoice, UsageSnapshot } from '../../domain/kubeop/schema.js'
import { Plan } from '../../domain/plans/schema.js'
import { Secret } from '../../domain/secrets/schema.js'
import { CurrentUsage, KubeopTenant, Member, Tenant } from '../../domain/tenants/schema.js'
import { UsageSample } from '../../domain/usage/schema.js'
import { VaultEntry, VaultValue, VaultVersions, VaultWriteResult } from '../../domain/vault/schema.js'

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Human-readable message' }),
    code: Type.Optional(Type.String({ description: 'Canonical code (spec §3.3)' })),
    severity: Type.Optional(Type.Literal('error')),
    message: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
  },
  { $id: 'Error', additionalProperties: false },
)

/** Named schemas, added once; routes refer to them with Type.Ref('<$id>'). */
export const sharedSchemas: TSchema[] = [
  ErrorBody, Plan, Member, CurrentUsage, Tenant, ApiKey, ApiKeyCreated,
  Secret, VaultWriteResult, VaultValue, VaultVersions, VaultEntry,
  Condition, Warning, Cluster, ClusterCreated, ConnectionDetails, Credential, CredentialCreated, Kubeconfig,
  LineItem, Invoice,
  ClosedPeriod, Credit, UsageSample, UsageSnapshot, KubeopInvoice, AnalyticsSummary,
  HostCluster, Quota, KubeopTenant, Project, App,
  AlertmanagerReceiver, AlertmanagerRoute, AlertmanagerRoutes, AlertmanagerGlobal,
]

const ErrorRef = Type.Ref('Error')

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing or invalid authentication',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with current state',
  412: 'ETag mismatch',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Idempotency-Key reused with another request',
  429: 'Rate limited',
  500: 'Internal server error',
  503: 'Not ready',
}

function errorResponses(statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const s of [...new Set(statuses)].sort()) out[s] = { ...ErrorRef, description: DESCRIPTIONS[s] ?? 'Error' }
  return out
}

type Kind = 'public' | 'tenant-read' | 'tenant-write' | 'admin'
const COMMON: Record<Kind, number[]> = {
  public: [429, 500],
  // 503: no database connection in time (src/lib/database-unavailable.ts).
  'tenant-read': [400, 401, 403, 429, 500, 503],
  'tenant-write': [400, 401, 403, 429, 500, 503],
  admin: [400, 401, 403, 429, 500, 503],
}

/** Success responses plus the error responses every route of this kind can give (spec §5.0). */
export function responses(kind: Kind, ok: Record<number, TSchema>, extra: number[] = []): Record<number, TSchema> {
  return { ...ok, ...errorResponses([...COMMON[kind], ...extra]) }
}

export const NoContent = Type.Null({ description: 'No content' })
export const TenantParam = Type.Object({ tenant: Type.String({ description: 'Tenant name' }) })

export const ListQuery = Type.Object({
  limit: Type.Optional(queryInteger({ minimum: 1, maximum: 1000 })),
  continue: Type.Optional(Type.String()),
})
export const list = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), continue: Type.Optional(Type.String({ description: 'Token for the next page' })) })
