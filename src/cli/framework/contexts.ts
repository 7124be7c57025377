import { notFound } from './errors.js'
import type { ConfigFile, ContextEntry } from './settings.js'
import { keyIdOf } from './token.js'

/** Returns a copy of the file with `entry` added or replacing the context of the same name. */
export function upsertContext(file: ConfigFile, entry: ContextEntry): ConfigFile {
  const others = file.contexts.filter((c) => c.name !== entry.name)
  const index = file.contexts.findIndex((c) => c.name === entry.name)
  const contexts = index < 0 ? [...others, entry] : file.contexts.map((c) => (c.name === entry.name ? entry : c))
  return { ...file, contexts }
}

export function findContext(file: ConfigFile, name: string): ContextEntry {
  const ctx = file.contexts.find((c) => c.name === name)
  if (!ctx) throw notFound(`context "${name}" not found (see \`kupe config get-contexts\`)`)
  return ctx
}

/** A context as shown to people: credentials are reported as present, never printed. */
export function redactContext(c: ContextEntry, current: string | undefined) {
  return {
    name: c.name,
    current: c.name === current,
    apiUrl: c.apiUrl,
    ...(c.tenant ? { tenant: c.tenant } : {}),
    ...(c.token ? { token: keyIdOf(c.token) ?? 'set' } : {}),
    ...(c.adminToken ? { adminToken: 'set' } : {}),
    ...(c.oidc ? { signedInAs: c.oidc.email } : {}),
  }
}
