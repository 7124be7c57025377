import { randomUUID } from 'node:crypto'
import type { DomainDeps } from '../deps.js'
import { etagMatches } from '../../lib/etag.js'
import { nextResourceVersion } from '../../store/connect.js'
import type { SyncTarget } from './schema.js'
import { countSecrets, deleteSecretRow, findSecret, insertSecret, listSecrets, lockSecret, updateSecret } from '../../store/secrets.js'
import { lockTenant } from '../../store/tenants.js'
import type { TenantContext } from '../auth/principal.js'
import { decodeContinue, fetchSize, stringKey, toPage, type ListResult, type Page } from '../common/pagination.js'
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

export async function listTenantSecrets(deps: Deps, ctx: TenantContext, page: Page): Promise<ListResult<Secret>> {
  const list = `secrets:${ctx.tenant.name}`
  const after = stringKey(decodeContinue(page, list))
  const rows = await listSecrets(deps.db, ctx.tenant.id, after, fetchSize(page))
  return toPage(rows, page, list, (r) => [r.name], secretToApi)
}

export async function getSecret(deps: Deps, ctx: TenantContext, name: string): Promise<Secret> {
  const row = await findSecret(deps.db, ctx.tenant.id, name)
  if (!row) throw errors.secretNotFound()
  return secretToApi(row)
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
  deps.signal('secrets')
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
  if (changed) deps.signal('secrets')
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
