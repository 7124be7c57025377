import { KubeConfig } from '@kubernetes/client-node'
import { stringify } from 'yaml'

/**
 * One kubeconfig: a cluster, a user and the context joining them (the current one). Field
 * names are @kubernetes/client-node's; `*Data` values are base64 as in a kubeconfig file.
 */
export interface KubeconfigSpec {
  cluster: { name: string; server: string; caData?: string }
  /** No credential at all for a webhook config: the API server authenticates nothing to Kupe. */
  user: { name: string; token?: string; certData?: string; keyData?: string }
  context: string
}

type KubeconfigOptions = Parameters<KubeConfig['loadFromOptions']>[0]

/** What `KubeConfig.loadFromOptions` takes for `spec` (for a KubeConfig subclass loading itself). */
export function kubeconfigOptions(spec: KubeconfigSpec): KubeconfigOptions {
  return {
    clusters: [{ ...spec.cluster, skipTLSVerify: false }],
    users: [spec.user],
    contexts: [{ name: spec.context, cluster: spec.cluster.name, user: spec.user.name }],
    currentContext: spec.context,
  }
}

/** A named entry of a kubeconfig file (`clusters[]`, `users[]`, `contexts[]`). */
export type KubeconfigEntry = { name: string } & Record<string, unknown>

/** A kubeconfig file's content as kubectl writes it. */
export interface KubeconfigDocument {
  apiVersion: 'v1'
  kind: 'Config'
  clusters: KubeconfigEntry[]
  users: KubeconfigEntry[]
  contexts: KubeconfigEntry[]
  'current-context'?: string
}

/** Drops what the library's export spells out but kubectl leaves out: unset fields and defaults. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || (k === 'insecure-skip-tls-verify' && v === false)) continue
    out[k] = prune(v)
  }
  return out
}

/** The file content of `kc`, from the library's own export (spec §6.3 shows its shape). */
export function kubeconfigDocument(kc: KubeConfig): KubeconfigDocument {
  const exported = JSON.parse(kc.exportConfig()) as KubeconfigDocument & { preferences?: unknown }
  const { preferences: _empty, ...doc } = prune(exported) as typeof exported
  // The library nests the whole context, its own name included, under `context`.
  const contexts = doc.contexts.map(({ name, context }) => {
    const { name: _same, ...rest } = context as Record<string, unknown>
    return { name, context: rest }
  })
  return { ...doc, contexts }
}

/** A kubeconfig (YAML) parsed and checked by the client library: throws on a malformed one. */
export function readKubeconfig(yaml: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(yaml)
  return kc
}

/** Renders a kubeconfig document as kubectl does: unindented sequences, no line folding. */
export const renderKubeconfig = (doc: KubeconfigDocument): string => stringify(doc, { indentSeq: false, lineWidth: 0 })

/**
 * Every kubeconfig Kupe writes — a tenant's (token), kube-controller-manager's (client
 * certificate), the token webhook's (no credential) — is built here, through `KubeConfig`.
 */
export function buildKubeconfig(spec: KubeconfigSpec): string {
  const kc = new KubeConfig()
  kc.loadFromOptions(kubeconfigOptions(spec))
  return renderKubeconfig(kubeconfigDocument(kc))
}
