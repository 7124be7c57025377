import { randomUUID } from 'node:crypto'
import createClient, { type Client } from 'openapi-fetch'
import { cliVersion } from '../framework/version.js'
import { retryingFetch, type RetryHooks, type RetryPolicy } from './retrying-fetch.js'
import type { components, paths } from './schema.js'

/** The typed client generated from our OpenAPI document (`npm run gen:client`). */
export type KupeClient = Client<paths>
export type Schemas = components['schemas']

export interface ClientOptions {
  /** Server origin, e.g. http://localhost:8080 (paths in the schema carry /api/v1). */
  baseUrl: string
  /**
   * Bearer token: a tenant API key, the platform admin token, or a function that yields a
   * member's ID token (renewed when it is about to expire); none for public routes.
   */
  token?: string | (() => Promise<string>)
  policy: RetryPolicy
  hooks: RetryHooks
  /** The transport under the retries (tests pass a fake). */
  transport?: typeof fetch
}

/**
 * `{name}` → the percent-encoded value; `{path}` (the vault path, spec §5.5, a wildcard on the
 * server) keeps its `/` separators and encodes each segment.
 */
export function serializePath(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined || value === null) return whole
    const text = String(value)
    return name === 'path' ? text.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(text)
  })
}

/**
 * One client per credential. Every POST carries a fresh Idempotency-Key, so a create that is
 * retried after a lost response is replayed by the server instead of done twice.
 */
export function createKupeClient(opts: ClientOptions): KupeClient {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl,
    fetch: retryingFetch(opts.policy, opts.hooks, opts.transport),
    pathSerializer: serializePath,
    headers: { 'user-agent': `kupe-cli/${cliVersion()}` },
  })
  client.use({
    async onRequest({ request }) {
      const token = typeof opts.token === 'function' ? await opts.token() : opts.token
      if (token) request.headers.set('authorization', `Bearer ${token}`)
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', randomUUID())
      return request
    },
  })
  return client
}
