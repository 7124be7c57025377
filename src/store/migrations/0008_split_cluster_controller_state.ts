import { sql, type Kysely } from 'kysely'

// Frozen: never edit after merge; add a new migration instead.
// Until now the cluster controller kept its own keys (the cluster CA, the version running, the
// generations that failed) inside `provider_state`, beside the provider's keys, and providers
// read the CA back by name. They move to a column of their own, so each column has one owner:
// `controller_state` (the controller's, ClusterControllerState) and `provider_state` (the
// provider's, of the shape the provider declares). The CA becomes `ca: {certPem, encryptedKey}`;
// the key stays encrypted as it was (AAD `cluster-ca:<id>`), so nothing is decrypted here.
// The API object does not change, so no resourceVersion moves.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE clusters ADD COLUMN controller_state jsonb NOT NULL DEFAULT '{}'::jsonb`.execute(db)
  await sql`
    UPDATE clusters SET
      controller_state = jsonb_strip_nulls(jsonb_build_object(
        'ca', CASE WHEN provider_state->'caPem' IS NOT NULL AND provider_state->'caKey' IS NOT NULL
                   THEN jsonb_build_object('certPem', provider_state->'caPem', 'encryptedKey', provider_state->'caKey') END,
        'runningVersion', provider_state->'runningVersion',
        'failedGeneration', provider_state->'failedGeneration',
        'upgradeFailedGeneration', provider_state->'upgradeFailedGeneration')),
      provider_state = provider_state - '{caPem,caKey,runningVersion,failedGeneration,upgradeFailedGeneration}'::text[]`.execute(db)
  // Like provider_state: every insert says what it starts with.
  await sql`ALTER TABLE clusters ALTER COLUMN controller_state DROP DEFAULT`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE clusters SET provider_state = provider_state || jsonb_strip_nulls(jsonb_build_object(
      'caPem', controller_state->'ca'->'certPem',
      'caKey', controller_state->'ca'->'encryptedKey',
      'runningVersion', controller_state->'runningVersion',
      'failedGeneration', controller_state->'failedGeneration',
      'upgradeFailedGeneration', controller_state->'upgradeFailedGeneration'))`.execute(db)
  await sql`ALTER TABLE clusters DROP COLUMN controller_state`.execute(db)
}
