import { alertmanagerErrors } from './errors.js'

/**
 * What Alertmanager would accept but a multi-tenant server must not (the tenant's Alertmanager
 * runs on the platform's machines with the platform's files and credentials), and what the
 * store cannot hold. Checked before Alertmanager's own loader.
 * - `*_file` fields read a file of the server and send its content (as a password, a URL, …) to
 *   wherever the tenant points the integration.
 * - An SNS integration without static keys, or with a `profile`, signs with the server's own
 *   AWS credentials.
 * - NUL characters cannot be stored (PostgreSQL text and jsonb refuse them).
 */
export function checkFieldRules(body: unknown, path = ''): void {
  if (typeof body === 'string') {
    if (body.includes('\u0000')) throw alertmanagerErrors.nulCharacter(path)
    return
  }
  if (Array.isArray(body)) {
    body.forEach((v, i) => checkFieldRules(v, `${path}[${i}]`))
    return
  }
  if (body === null || typeof body !== 'object') return
  for (const [k, v] of Object.entries(body)) {
    const at = path ? `${path}.${k}` : k
    if (k.includes('\u0000')) throw alertmanagerErrors.nulCharacter(path || k)
    if (k.endsWith('_file') || k === 'files') throw alertmanagerErrors.fileReference(at)
    if (k === 'sns_configs' && Array.isArray(v)) v.forEach((c, i) => checkSns(c, `${at}[${i}]`))
    checkFieldRules(v, at)
  }
}

function checkSns(config: unknown, path: string): void {
  const sigv4 = (config as { sigv4?: Record<string, unknown> } | null)?.sigv4
  if (sigv4?.profile !== undefined) throw alertmanagerErrors.forbiddenField(`${path}.sigv4.profile`, 'AWS profiles are the server\'s, not the tenant\'s')
  if (typeof sigv4?.access_key !== 'string' || typeof sigv4.secret_key !== 'string') {
    throw alertmanagerErrors.forbiddenField(`${path}.sigv4`, 'give access_key and secret_key; without them Alertmanager would sign with the server\'s AWS credentials')
  }
}
