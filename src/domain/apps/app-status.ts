import { sameJson } from '../../lib/same-json.js'
import { deleteAppRow, lockApp, updateApp } from '../../store/apps.js'
import type { DomainDeps } from '../deps.js'
import { recordEvent } from '../events/outbox.js'
import type { AppStatus } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'config' | 'clock'>

/**
 * The one writer of an app's status (STYLE rule 11): what the sync controller read from the App
 * object on the host cluster. Saves only a change; a rollout of the current generation reaching
 * Ready announces `app.ready`.
 */
export async function saveAppStatus(deps: Deps, id: string, status: AppStatus): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockApp(trx, id)
    if (!row || sameJson(row.status, status)) return
    const wasDone = row.status.phase === 'Ready' && row.status.observed_generation >= row.generation
    const isDone = status.phase === 'Ready' && status.observed_generation >= row.generation
    if (isDone && !wasDone) {
      await recordEvent(deps, trx, 'app.ready', { app_id: id, project_id: row.project_id, revision: status.revision ?? null, generation: row.generation })
    }
    await updateApp(trx, id, { status: JSON.stringify(status) })
  })
}

/** The app's objects are gone from its host cluster: the row goes too. */
export async function finishAppDeletion(deps: Pick<DomainDeps, 'db'>, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockApp(trx, id)
    if (row?.deletion_requested_at) await deleteAppRow(trx, id)
  })
}
