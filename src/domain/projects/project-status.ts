import { sameJson } from '../../lib/same-json.js'
import { countApps } from '../../store/apps.js'
import { deleteProjectRow, lockProject, updateProject } from '../../store/projects.js'
import type { DomainDeps } from '../deps.js'
import { recordEvent } from '../events/outbox.js'
import type { ProjectStatus } from './schema.js'

type Deps = Pick<DomainDeps, 'db' | 'config' | 'clock'>

/**
 * The one writer of a project's status (STYLE rule 11): what the sync controller read from the
 * Project object on the host cluster. Saves only a change; becoming Ready announces `project.ready`.
 */
export async function saveProjectStatus(deps: Deps, id: string, status: ProjectStatus): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockProject(trx, id)
    if (!row || sameJson(row.status, status)) return
    if (status.phase === 'Ready' && row.status.phase !== 'Ready') {
      await recordEvent(deps, trx, 'project.ready', { project_id: id, tenant_id: row.tenant_id, namespace: row.namespace })
    }
    await updateProject(trx, id, { status: JSON.stringify(status) })
  })
}

/** The project's objects are gone from its host cluster: the row goes too (never while apps remain). */
export async function finishProjectDeletion(deps: Pick<DomainDeps, 'db'>, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockProject(trx, id)
    if (!row?.deletion_requested_at || (await countApps(trx, id)) > 0) return
    await deleteProjectRow(trx, id)
  })
}
