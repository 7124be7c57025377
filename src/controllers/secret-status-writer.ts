import type { StoredSecretStatus } from '../domain/secrets/schema.js'
import { sameStatus } from '../domain/secrets/secret-status.js'
import { nextResourceVersion } from '../store/connect.js'
import { lockSecretById, updateSecret } from '../store/secrets.js'
import type { ControllerDeps } from './deps.js'

export type StatusWrite = 'saved' | 'unchanged' | 'gone' | 'stale'

/**
 * The one writer of a secret's status (STYLE.md rule 11). Saves with a new resourceVersion only
 * when the status changed, and only if the targets are still those it was computed for
 * (`generation` moves on every change of `sync`); otherwise the next reconcile recomputes it.
 */
export async function writeSecretStatus(
  deps: Pick<ControllerDeps, 'db'>,
  id: string,
  generation: number,
  status: StoredSecretStatus,
): Promise<StatusWrite> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockSecretById(trx, id)
    if (!row) return 'gone'
    if (row.generation !== generation) return 'stale'
    if (sameStatus(row.status, status)) return 'unchanged'
    await updateSecret(trx, id, { status: JSON.stringify(status), resource_version: await nextResourceVersion(trx) })
    return 'saved'
  })
}
