import { ApiError } from '../framework/errors.js'

/** What every generated client method resolves to. */
interface Result<D> {
  data?: D
  error?: unknown
  response: Response
}

function errorOf(response: Response, body: unknown): ApiError {
  if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
    const b = body as { error: string; code?: string; field?: string }
    return new ApiError(response.status, b.error, b.code, b.field)
  }
  const text = typeof body === 'string' && body.trim() ? body.trim() : response.statusText || 'request failed'
  return new ApiError(response.status, `HTTP ${response.status}: ${text}`)
}

/** Awaits a client call and returns its data, or throws the server's error as an ApiError. */
export async function ok<D>(pending: Promise<Result<D>>): Promise<{ data: D; response: Response }> {
  const r = await pending
  if (!r.response.ok) throw errorOf(r.response, r.error)
  return { data: r.data as D, response: r.response }
}

/** Same as `ok` for the common case where only the body matters. */
export async function body<D>(pending: Promise<Result<D>>): Promise<D> {
  return (await ok(pending)).data
}
