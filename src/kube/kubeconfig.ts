import { stringify } from 'yaml'

/** What a token kubeconfig needs (spec §6.3). */
export interface TokenKubeconfig {
  /** Cluster, user and context are all given this name. */
  name: string
  server: string
  /** base64 of the PEM CA bundle. */
  certificateAuthorityData: string
  token: string
}

/** A complete kubeconfig with one cluster, one user and one current context, as YAML. */
export function buildKubeconfig(k: TokenKubeconfig): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.name, cluster: { server: k.server, 'certificate-authority-data': k.certificateAuthorityData } }],
    users: [{ name: k.name, user: { token: k.token } }],
    contexts: [{ name: k.name, context: { cluster: k.name, user: k.name } }],
    'current-context': k.name,
  }
  // Unindented sequences and no line folding, as kubectl writes them (spec §6.3).
  return stringify(doc, { indentSeq: false, lineWidth: 0 })
}
