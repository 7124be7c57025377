import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { usageError } from './errors.js'

type Named = { name: string } & Record<string, unknown>
type Kubeconfig = Record<string, unknown> & { clusters?: Named[]; users?: Named[]; contexts?: Named[]; 'current-context'?: string }

/** --file > the first entry of KUBECONFIG (as kubectl writes there) > ~/.kube/config. */
export function kubeconfigPathOf(file: string | undefined, env: NodeJS.ProcessEnv): string {
  if (file) return file
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '')
  return first ?? join(env.HOME || homedir(), '.kube', 'config')
}

function load(text: string | undefined, what: string): Kubeconfig {
  if (!text || !text.trim()) return {}
  const value: unknown = parse(text)
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw usageError(`${what} is not a kubeconfig (not a YAML mapping)`)
  return value as Kubeconfig
}

function mergeNamed(existing: unknown, incoming: Named[] | undefined): Named[] {
  const list = Array.isArray(existing) ? (existing as Named[]) : []
  const out = [...list]
  for (const entry of incoming ?? []) {
    const i = out.findIndex((e) => e && e.name === entry.name)
    if (i >= 0) out[i] = entry
    else out.push(entry)
  }
  return out
}

/**
 * Merges the clusters, users and contexts of `incoming` into `existing` by name: entries of the
 * same name are replaced, every other entry and top-level field is kept.
 */
export function mergeKubeconfig(existing: string | undefined, incoming: string, opts: { setCurrent: boolean; path: string }): string {
  const base = load(existing, opts.path)
  const add = load(incoming, 'the server response')
  const merged: Kubeconfig = {
    ...base,
    apiVersion: base.apiVersion ?? 'v1',
    kind: base.kind ?? 'Config',
    clusters: mergeNamed(base.clusters, add.clusters),
    users: mergeNamed(base.users, add.users),
    contexts: mergeNamed(base.contexts, add.contexts),
  }
  if (opts.setCurrent && add['current-context']) merged['current-context'] = add['current-context']
  return stringify(merged)
}
