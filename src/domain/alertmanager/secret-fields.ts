import { SECRET_SENTINEL } from './schema.js'
import { alertmanagerErrors } from './errors.js'

/**
 * The secret fields of one part of the configuration (a receiver, or `global`) as a tree of path
 * steps: a field name, `[]` (every list element) or `*` (every map key). Built from
 * Alertmanager's own list (kupe-amconfig secret-paths), so what is masked is exactly what
 * Alertmanager itself would print as "<secret>".
 */
export interface SecretTree {
  leaf: boolean
  next: Map<string, SecretTree>
}

const node = (): SecretTree => ({ leaf: false, next: new Map() })

function steps(path: string): string[] {
  const out: string[] = []
  for (const part of path.split('.')) {
    let p = part
    const lists: string[] = []
    while (p.endsWith('[]')) {
      lists.push('[]')
      p = p.slice(0, -2)
    }
    if (p) out.push(p)
    out.push(...lists)
  }
  return out
}

/** The tree of the paths under `prefix` (`receivers[].` or `global.`). */
export function secretTree(paths: string[], prefix: string): SecretTree {
  const root = node()
  for (const path of paths) {
    if (!path.startsWith(prefix)) continue
    let at = root
    for (const s of steps(path.slice(prefix.length))) {
      let child = at.next.get(s)
      if (!child) at.next.set(s, (child = node()))
      at = child
    }
    at.leaf = true
  }
  return root
}

type Visit = (value: string, path: string) => unknown

/** Rebuilds `value`, passing each non-empty secret string to `visit` and using what it returns. */
function rebuild(value: unknown, tree: SecretTree, path: string, visit: Visit): unknown {
  if (tree.leaf && typeof value === 'string' && value !== '') return visit(value, path)
  if (Array.isArray(value)) {
    const each = tree.next.get('[]')
    return each ? value.map((v, i) => rebuild(v, each, `${path}[${i}]`, visit)) : value
  }
  if (value !== null && typeof value === 'object') {
    const any = tree.next.get('*')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const child = tree.next.get(k) ?? any
        return [k, child ? rebuild(v, child, path ? `${path}.${k}` : k, visit) : v]
      }),
    )
  }
  return value
}

/** A copy with every secret value replaced by "<secret>", as GET and PUT answer. */
export function maskSecrets<T>(body: T, tree: SecretTree): T {
  return rebuild(body, tree, '', () => SECRET_SENTINEL) as T
}

/** The secret values in `body` (to scrub them from error messages). */
export function secretValues(body: unknown, tree: SecretTree): string[] {
  const found: string[] = []
  rebuild(body, tree, '', (v) => found.push(v))
  return found
}

function valueAt(body: unknown, path: string): unknown {
  let at: unknown = body
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (at === null || typeof at !== 'object') return undefined
    at = m[2] !== undefined ? (at as unknown[])[Number(m[2])] : (at as Record<string, unknown>)[m[1]!]
  }
  return at
}

/**
 * A written body in which each "<secret>" in a secret field stands for the value stored at the
 * same place (what a client that read the masked body sends back). A "<secret>" with nothing
 * stored there is refused rather than stored as a credential.
 */
export function restoreSecrets<T>(incoming: T, stored: unknown, tree: SecretTree, fieldPrefix = ''): T {
  return rebuild(incoming, tree, '', (v, path) => {
    if (v !== SECRET_SENTINEL) return v
    const kept = valueAt(stored, path)
    if (typeof kept !== 'string' || kept === '' || kept === SECRET_SENTINEL) throw alertmanagerErrors.unmatchedSentinel(fieldPrefix + path)
    return kept
  }) as T
}
