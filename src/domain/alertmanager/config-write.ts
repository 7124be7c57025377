import { listAlertmanagerVersions, upsertAlertmanagerObject } from '../../store/alertmanager.js'
import type { AlertmanagerObjectRow } from '../../store/alertmanager-tables.js'
import { nextResourceVersion } from '../../store/connect.js'
import { lockTenant } from '../../store/tenants.js'
import type { DomainDeps } from '../deps.js'
import { alertmanagerRules } from './amconfig.js'
import { alertmanagerConfigFile } from './config-file.js'
import { alertmanagerErrors } from './errors.js'
import { SECRET_SENTINEL, type AlertmanagerGlobal, type AlertmanagerRoute } from './schema.js'
import { maskSecrets, secretTree, secretValues, type SecretTree } from './secret-fields.js'
import { alertmanagerAad, loadTenantConfig, versionsOf, versionsOfConfig, type TenantConfig } from './tenant-config.js'

type Deps = Pick<DomainDeps, 'db' | 'clock' | 'keys' | 'config' | 'signal'>

/** One object a PUT stores, as written (secrets in the clear). */
export type Put =
  | { kind: 'receiver'; name: string; body: Record<string, unknown> }
  | { kind: 'routes'; body: AlertmanagerRoute[] }
  | { kind: 'global'; body: AlertmanagerGlobal }

/** Secret fields of a receiver and of the global section. */
export interface SecretTrees {
  receiver: SecretTree
  global: SecretTree
}

/** Optimistic attempts before a write that keeps racing others gives up with 409. */
const ATTEMPTS = 5

function withPut(config: TenantConfig, put: Put): TenantConfig {
  const next = { ...config, receivers: new Map(config.receivers) }
  if (put.kind === 'receiver') next.receivers.set(put.name, { body: put.body, version: '' })
  else if (put.kind === 'routes') next.routes = { items: put.body, version: '' }
  else next.global = { body: put.body, version: '' }
  return next
}

/** The loader's message with every secret of the configuration replaced by "<secret>". */
function scrubbed(message: string, config: TenantConfig, trees: SecretTrees): string {
  const secrets = [...config.receivers.values()].flatMap((r) => secretValues(r.body, trees.receiver))
  secrets.push(...secretValues(config.global.body, trees.global))
  return secrets.sort((a, b) => b.length - a.length).reduce((m, s) => m.split(s).join(SECRET_SENTINEL), message)
}

/**
 * Stores one object of a tenant's configuration once the whole configuration with it loads in
 * Alertmanager. Validation runs outside the transaction (it starts a process), so the write
 * checks, under the tenant's lock, that no object changed since the configuration it validated
 * was read, and starts again if one did. `plan` sees that configuration and decides what to
 * write, or throws (404, 412, 400).
 */
export async function putAlertmanagerObject(
  deps: Deps,
  tenantId: string,
  plan: (current: TenantConfig, trees: SecretTrees) => Put,
): Promise<{ row: AlertmanagerObjectRow; created: boolean }> {
  const rules = alertmanagerRules(deps.config.alertmanagerDir)
  const paths = await rules.secretPaths()
  const trees: SecretTrees = { receiver: secretTree(paths, 'receivers[].'), global: secretTree(paths, 'global.') }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await loadTenantConfig(deps.db, deps.keys, tenantId)
    const put = plan(current, trees)
    const next = withPut(current, put)
    const problem = await rules.check(alertmanagerConfigFile(next))
    if (problem !== undefined) throw alertmanagerErrors.configInvalid(scrubbed(problem, next, trees))
    const name = put.kind === 'receiver' ? put.name : ''
    const masked = put.kind === 'receiver' ? maskSecrets(put.body, trees.receiver) : put.kind === 'global' ? maskSecrets(put.body, trees.global) : put.body
    const now = deps.clock.now()
    const row = await deps.db.transaction().execute(async (trx) => {
      await lockTenant(trx, tenantId)
      if (versionsOf(await listAlertmanagerVersions(trx, tenantId)) !== versionsOfConfig(current)) return undefined
      return upsertAlertmanagerObject(trx, {
        tenant_id: tenantId, kind: put.kind, name,
        ciphertext: deps.keys.encrypt(JSON.stringify(put.body), alertmanagerAad(tenantId, put.kind, name)),
        masked: JSON.stringify(masked), resource_version: await nextResourceVersion(trx), created_at: now, updated_at: now,
      })
    })
    if (row) {
      deps.signal('alertmanager')
      return { row, created: put.kind === 'receiver' && !current.receivers.has(name) }
    }
  }
  throw alertmanagerErrors.busy()
}
