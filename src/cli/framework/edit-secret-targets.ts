import { ApiError } from './errors.js'
import { ok } from '../api/call.js'
import type { KupeClient, Schemas } from '../api/client.js'
import type { SyncTarget } from './sync-targets.js'

type Secret = Schemas['Secret']

/** What an edit decided: the new list, or nothing to do (with the reason for people). */
export type TargetEdit = { sync: SyncTarget[] } | { unchanged: string }

/**
 * GET → edit → PATCH with If-Match (spec §5.4: the PATCH replaces the complete list). When another
 * writer got in between (412), the edit is re-applied to a fresh copy once; a second 412 is
 * reported (exit 5).
 */
export async function editSecretTargets(
  api: KupeClient,
  tenant: string,
  name: string,
  edit: (secret: Secret) => TargetEdit,
): Promise<{ secret: Secret; changed: boolean; reason?: string }> {
  for (let attempt = 1; ; attempt++) {
    const { data: secret, response } = await ok(api.GET('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path: { tenant, name } } }))
    const next = edit(secret)
    if ('unchanged' in next) return { secret, changed: false, reason: next.unchanged }
    const etag = response.headers.get('etag') ?? `"${secret.resourceVersion}"`
    try {
      const { data } = await ok(
        api.PATCH('/api/v1/tenants/{tenant}/secrets/{name}', { params: { path: { tenant, name } }, body: { sync: next.sync }, headers: { 'if-match': etag } }),
      )
      return { secret: data, changed: true }
    } catch (err) {
      if (err instanceof ApiError && err.status === 412 && attempt < 2) continue
      throw err
    }
  }
}
