import type { Executor } from './db.js'

export interface SimulatedSecretWrite {
  clusterId: string
  namespace: string
  name: string
  managedSecret: string
  sourceVersion: number
  now: Date
}

/**
 * Writes a Secret into a simulated cluster unless another managed secret owns that name: the
 * first writer keeps it, as the managed-by label does on a real cluster. Returns the owner and
 * whether the held version changed.
 */
export async function writeSimulatedSecret(db: Executor, w: SimulatedSecretWrite): Promise<{ owner: string; changed: boolean }> {
  const key = { cluster_id: w.clusterId, namespace: w.namespace, name: w.name }
  const inserted = await db
    .insertInto('simulated_secrets')
    .values({ ...key, managed_secret: w.managedSecret, source_version: w.sourceVersion, written_at: w.now })
    .onConflict((oc) => oc.columns(['cluster_id', 'namespace', 'name']).doNothing())
    .returning('managed_secret')
    .executeTakeFirst()
  if (inserted) return { owner: w.managedSecret, changed: true }
  const updated = await db
    .updateTable('simulated_secrets')
    .set({ source_version: w.sourceVersion, written_at: w.now })
    .where('cluster_id', '=', key.cluster_id)
    .where('namespace', '=', key.namespace)
    .where('name', '=', key.name)
    .where('managed_secret', '=', w.managedSecret)
    .where('source_version', '<>', w.sourceVersion)
    .returning('managed_secret')
    .executeTakeFirst()
  if (updated) return { owner: w.managedSecret, changed: true }
  const held = await db
    .selectFrom('simulated_secrets')
    .select('managed_secret')
    .where('cluster_id', '=', key.cluster_id)
    .where('namespace', '=', key.namespace)
    .where('name', '=', key.name)
    .executeTakeFirst()
  // Gone between the two statements (its cluster was deleted): nothing holds it any more.
  return { owner: held?.managed_secret ?? w.managedSecret, changed: false }
}
