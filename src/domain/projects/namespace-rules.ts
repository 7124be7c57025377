import { errors } from '../errors.js'

/** Namespaces a project may never take: the system's own and the platform's. */
const RESERVED = /^(default|kube-.*|kubeop-system|kupe-system)$/

/** The namespace a project gets: the one asked for, else kubeOP's `kubeop-<tenant>-<project>`. */
export function projectNamespace(tenantName: string, projectName: string, requested: string | undefined): string {
  const namespace = requested ?? `kubeop-${tenantName}-${projectName}`
  if (namespace.length > 63) throw errors.namespaceTooLong(namespace)
  if (RESERVED.test(namespace)) throw errors.namespaceReserved(namespace)
  return namespace
}
