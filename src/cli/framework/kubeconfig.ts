import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { isMap, isSeq, parseDocument, type Document } from 'yaml'
import { usageError } from './errors.js'

/** --file > the first entry of KUBECONFIG (as kubectl writes there) > ~/.kube/config. */
export function kubeconfigPathOf(file: string | undefined, env: NodeJS.ProcessEnv): string {
  if (file) return file
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '')
  return first ?? join(env.HOME || homedir(), '.kube', 'config')
}

function userFile(text: string | undefined, path: string): Document {
  const doc = parseDocument(text ?? '')
  if (doc.errors.length > 0) throw usageError(`${path} is not a kubeconfig (${doc.errors[0]!.message})`)
  if (doc.contents === null) return parseDocument('apiVersion: v1\nkind: Config\n')
  if (!isMap(doc.contents)) throw usageError(`${path} is not a kubeconfig (not a YAML mapping)`)
  return doc
}

/**
 * Merges the clusters, users and contexts of `incoming` into `existing` by name: entries of the
 * same name are replaced, every other entry and top-level field is kept.
 *
 * The server's kubeconfig is read by @kubernetes/client-node (which checks it); the user's file
 * is edited in place as a YAML document rather than round-tripped through `KubeConfig`, whose
 * model would drop what it does not know (preferences, extensions, comments) and inline a
 * `token-file` into the file (decision 0014).
 */
export async function mergeKubeconfig(existing: string | undefined, incoming: string, opts: { setCurrent: boolean; path: string }): Promise<string> {
  // Loaded here, not at the top: the client library takes ~0.7 s to import, and only this
  // command needs it (every other CLI command starts without it).
  const { kubeconfigDocument, readKubeconfig } = await import('../../kube/kubeconfig.js')
  let add
  try {
    add = kubeconfigDocument(readKubeconfig(incoming))
  } catch (err) {
    throw usageError(`the server response is not a kubeconfig (${(err as Error).message})`)
  }
  const doc = userFile(existing, opts.path)
  for (const field of ['apiVersion', 'kind'] as const) if (!doc.has(field)) doc.set(field, add[field])
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    const found = doc.get(list)
    const seq = isSeq(found) ? found : doc.createNode([])
    doc.set(list, seq)
    for (const entry of add[list]) {
      const at = seq.items.findIndex((item) => isMap(item) && item.get('name') === entry.name)
      if (at >= 0) seq.items[at] = doc.createNode(entry)
      else seq.items.push(doc.createNode(entry))
    }
  }
  if (opts.setCurrent && add['current-context']) doc.set('current-context', add['current-context'])
  return doc.toString({ indentSeq: false, lineWidth: 0 })
}
