import { createHmac } from 'node:crypto'

/** `sha256=<hex>` of the body under the shared secret: kubeOP's `X-KubeOP-Signature`. */
export const signatureOf = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

/**
 * POSTs one JSON event; resolves on a 2xx answer and throws with the reason otherwise. The
 * body is built once and sent whole on every attempt (kubeOP reused a drained request body, so
 * its retries sent nothing).
 */
export async function postSignedEvent(url: string, secret: string | undefined, event: { id: string; type: string; body: string }, timeoutMs = 10_000): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'kupe-events/1',
    'x-kupe-event': event.type,
    'x-kupe-event-id': event.id,
  }
  if (secret) headers['x-kubeop-signature'] = signatureOf(event.body, secret)
  const res = await fetch(url, { method: 'POST', headers, body: event.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
  await res.body?.cancel()
  if (res.status < 200 || res.status >= 300) throw new Error(`the receiver answered ${res.status}`)
}
