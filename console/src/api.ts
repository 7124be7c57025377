import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from '../../src/cli/api/schema.js'

/** The typed client generated from our OpenAPI document (`npm run gen:client`), as the CLI uses it. */
export type Api = Client<paths>
export type Schemas = components['schemas']

/** The server's refusal, with its `error` text as the message so every page can quote it. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** `{path}` (a vault path, a wildcard on the server) keeps its `/`; every other parameter is encoded. */
function serializePath(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined || value === null) return whole
    const text = String(value)
    return name === 'path' ? text.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(text)
  })
}

/**
 * One client per signed-in session; the bearer token lives only in this closure (never in storage).
 * Nothing goes through the browser's HTTP cache: an ETag is the resource's version (spec §1.6),
 * which a status change (phase, cluster count, usage) does not move, so a revalidated copy would
 * show an old status; and answers are per caller anyway.
 */
export function createApi(token: string | undefined): Api {
  const client = createClient<paths>({ baseUrl: window.location.origin, pathSerializer: serializePath, cache: 'no-store' })
  client.use({
    onRequest({ request }) {
      if (token) request.headers.set('authorization', `Bearer ${token}`)
      return request
    },
  })
  return client
}

interface Result<D> {
  data?: D
  error?: unknown
  response: Response
}

/** Resolves to the body of a successful call, or throws the API's `error` as an ApiError. */
export async function ok<D>(pending: Promise<Result<D>>): Promise<D> {
  const r = await pending
  if (r.response.ok) return r.data as D
  const e = r.error
  const text = e && typeof e === 'object' && typeof (e as { error?: unknown }).error === 'string'
    ? (e as { error: string }).error
    : `HTTP ${r.response.status} ${r.response.statusText}`.trim()
  throw new ApiError(r.response.status, text)
}

/** What the server tells the console at start (`GET /console/config.json`). */
export interface ConsoleConfig {
  versions: string[]
  oidc?: { issuer: string; clientId: string; audience?: string; scope: string }
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/console/config.json')
  if (!res.ok) throw new ApiError(res.status, 'The console configuration could not be loaded')
  return (await res.json()) as ConsoleConfig
}
