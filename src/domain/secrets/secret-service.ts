import { randomUUID } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { etagMatches } from '../../lib/etag.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { SyncTarget } from './schema.js'
import { countSecrets, deleteSecretRow, findSecret, insertSecret, listSecrets, lockSecret, updateSecret } from '../../store/secrets.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import type { CachedTable } from '../../store/read-cache.js'
import { afterName, cachedList, pageOf } from '../common/cached-page.js'
import { decodeContinue, stringKey, type ListResult, type Page } from '../common/pagination.js'
import { errors } from '../errors.js'
import type { Secret, SecretCreate, SecretPatch } from './schema.js'
import {
  alignSyncStatuses,
  effectiveSecretName,
  initialSecretStatus,
  sameStatus,
  summariseSecretStatus,
  targetKey,
} from './secret-status.js'
import type { StoredSecretStatus } from './schema.js'
import { secretToApi } from './secret-view.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'signal'>

const MAX_SECRETS = 1000

/** No two targets with the same cluster, namespace and effective name; the later one is at fault. */
function checkDuplicates(secretName: string, sync: SyncTarget[]): void {
  const seen = new Set<string>()
  sync.forEach((t, i) => {
    const key = targetKey(t, secretName)
    if (seen.has(key)) throw errors.syncTargetDuplicate(i, t.cluster, t.namespace, effectiveSecretName(t, secretName))
    seen.add(key)
  })
}

/** `name` and `secretPath` are immutable: the first one sent, in body order, is reported. */
function checkImmutable(body: SecretPatch): void {
  const sent = Object.keys(body).find((k) => k === 'name' || k === 'secretPath')
  if (sent) throw errors.immutableField(sent, `spec.${sent}`)
}

const READ_TABLES: readonly CachedTable[] = ['secrets', 'tenants']
type ReadDeps = Pick<DomainDeps, 'db' | 'readCache'>

/** GET …/secrets: the whole list from the read cache when it can be (decision 0008), then the page. */
export async function listTenantSecrets(deps: ReadDeps, ctx: TenantContext, page: Page): Promise<ListResult<Secret>> {
  const list = `secrets:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const tenantId = ctx.tenant.id
  const all = await deps.readCache.read(`secret-list:${tenantId}`, READ_TABLES, async () =>
    cachedList(await listSecrets(deps.db, tenantId), (r) => [r.name], secretToApi))
  return pageOf(all!, page, list, after === undefined ? undefined : afterName(after))
}

export async function getSecret(deps: ReadDeps, ctx: TenantContext, name: string): Promise<Secret> {
  const tenantId = ctx.tenant.id
  const secret = await deps.readCache.read(`secret:${tenantId}:${name}`, READ_TABLES, async () => {
    const row = await findSecret(deps.db, tenantId, name)
    return row && secretToApi(row)
  })
  if (!secret) throw errors.secretNotFound()
  return secret
}

/** POST /tenants/{tenant}/secrets (spec §5.4): the definition only; the controller syncs. */
export async function createSecret(deps: Deps, ctx: TenantContext, body: SecretCreate): Promise<Secret> {
  if (body.sync) checkDuplicates(body.name, body.sync)
  const now = deps.clock.now()
  const row = await deps.db.transaction().execute(async (trx) => {
    await lockTenant(trx, ctx.tenant.id)
    if (await findSecret(trx, ctx.tenant.id, body.name)) throw errors.secretExists()
    if ((await countSecrets(trx, ctx.tenant.id)) >= MAX_SECRETS) throw errors.limitExceeded('secrets per tenant', MAX_SECRETS)
    return insertSecret(trx, {
      id: randomUUID(), tenant_id: ctx.tenant.id, name: body.name, secret_path: body.secretPath,
      sync: body.sync ? JSON.stringify(body.sync) : null, generation: 1,
      resource_version: await nextResourceVersion(trx), created_at: now,
      status: JSON.stringify(initialSecretStatus(body.name, body.sync ?? [], now)),
    })
  })
  deps.signal('secrets', ctx.tenant.id)
  return secretToApi(row)
}

/**
 * PATCH: replaces the whole target list. Statuses of targets that stay are kept, new ones start
 * Pending and removed ones are dropped, so `syncStatuses` always follows `sync` (spec §5.4).
 */
export async function patchSecret(deps: Deps, ctx: TenantContext, name: string, body: SecretPatch, ifMatch: string | undefined): Promise<Secret> {
  checkImmutable(body)
  checkDuplicates(name, body.sync)
  const now = deps.clock.now()
  const { row, changed } = await deps.db.transaction().execute(async (trx) => {
    const current = await lockSecret(trx, ctx.tenant.id, name)
    if (!current) throw errors.secretNotFound()
    if (ifMatch !== undefined && !etagMatches(ifMatch, current.resource_version)) throw errors.etagMismatch()
    if (current.sync && sameStatus(current.sync, body.sync)) return { row: current, changed: false }
    const previous = current.status as StoredSecretStatus
    const statuses = alignSyncStatuses(name, body.sync, previous.syncStatuses)
    const updated = await updateSecret(trx, current.id, {
      sync: JSON.stringify(body.sync), generation: current.generation + 1,
      resource_version: await nextResourceVersion(trx),
      status: JSON.stringify(summariseSecretStatus(statuses, previous.conditions, now)),
    })
    return { row: updated, changed: true }
  })
  if (changed) deps.signal('secrets', ctx.tenant.id)
  return secretToApi(row)
}

/** DELETE: syncing stops; the vault entry and Secrets already written stay (spec §5.4). */
export async function deleteSecret(deps: Deps, ctx: TenantContext, name: string, ifMatch: string | undefined): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await lockSecret(trx, ctx.tenant.id, name)
    if (!current) throw errors.secretNotFound()
    if (ifMatch !== undefined && !etagMatches(ifMatch, current.resource_version)) throw errors.etagMismatch()
    await deleteSecretRow(trx, current.id)
  })
}
