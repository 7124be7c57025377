import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const SANE = /^[A-Za-z0-9\-_.:/+=]{1,128}$/

/** Echo a sane client X-Request-Id, else a fresh lowercase UUID v4 (spec §1.8). */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id']
  return typeof sent === 'string' && SANE.test(sent) ? sent : randomUUID()
}
